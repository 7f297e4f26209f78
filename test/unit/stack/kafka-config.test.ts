// The Kafka files the stack generates per release: 4.x logs through log4j2 (its own config file
// and system property), 3.x through log4j 1.x; the jar marker names the release.
import { describe, expect, it } from "vitest";
import {
  KAFKA_COMPAT_VERSION,
  KAFKA_VERSION,
  kafkaFiles,
  kafkaJvmOptions,
  kafkaLog4jProperties,
} from "../../../src/stack/kafka-config.js";

const layout = { dir: "/s/kafka", port: 19092, controllerPort: 19093, listenHost: "127.0.0.1" };

describe("Kafka releases", () => {
  it("the stack runs 4.x and keeps a 3.9 release for the compatibility test", () => {
    expect(KAFKA_VERSION).toMatch(/^4\./);
    expect(KAFKA_COMPAT_VERSION).toMatch(/^3\.9\./);
    expect(kafkaFiles("/s/kafka").marker).toBe(`/s/kafka/libs/kafka_2.13-${KAFKA_VERSION}.jar`);
    expect(kafkaFiles("/s/kafka", "3.9.1").marker).toBe("/s/kafka/libs/kafka_2.13-3.9.1.jar");
  });

  it("4.x gets a log4j2 config writing logs/server.log, named by -Dlog4j2.configurationFile", () => {
    const text = kafkaLog4jProperties(layout);
    expect(text).toContain("appender.file.fileName = /s/kafka/logs/server.log");
    expect(text).toContain("rootLogger.appenderRef.file.ref = file");
    expect(text).toMatch(/logger\.quiet\d\.name = kafka\.request\.logger/);
    const options = kafkaJvmOptions(layout);
    expect(options).toContain("-Dlog4j2.configurationFile=/s/kafka/log4j2.properties");
    expect(options).toContain("-Xmx768m");
  });

  it("3.x gets log4j 1.x properties and -Dlog4j.configuration; the heap follows the layout", () => {
    const old = { ...layout, version: "3.9.1", heap: "384m" };
    expect(kafkaLog4jProperties(old)).toContain(
      "log4j.appender.file.File=/s/kafka/logs/server.log",
    );
    const options = kafkaJvmOptions(old);
    expect(options).toContain("-Dlog4j.configuration=file:/s/kafka/log4j.properties");
    expect(options).toContain("-Xmx384m");
  });
});
