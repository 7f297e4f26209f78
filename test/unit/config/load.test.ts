// Config loading: defaults, a full file, env overrides, ${VAR} substitution and every kind of
// invalid file reported with its YAML path, reason and line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "dw-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The ConfigError thrown by parsing `text`, or a failure when none is thrown. */
function configError(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig with no file", () => {
  it("runs on defaults: the DESIGN topic names, local servers, port 8080", () => {
    const config = loadConfig({ env: {} });
    expect(config.kafka.brokers).toEqual(["localhost:9092"]);
    expect(config.kafka.topics).toEqual({
      predictions: "driftwatch.predictions",
      labels: "driftwatch.labels",
      dlq: "driftwatch.dlq",
      control: "driftwatch.control",
    });
    expect(config.kafka.groupId).toBe("driftwatch-ingest");
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.kafka.ssl.enabled).toBe(false);
    expect(config.clickhouse).toMatchObject({
      url: "http://localhost:8123",
      database: "driftwatch",
      username: "default",
    });
    expect(config.clickhouse.password).toBeUndefined();
    expect(config.server.port).toBe(8080);
    expect(config.ingest.batchMaxRows).toBeGreaterThan(0);
    expect(config.ingest.retry.minBackoffMs).toBeLessThanOrEqual(config.ingest.retry.maxBackoffMs);
    expect(config.retention).toEqual({});
  });

  it("reads the file named by DRIFTWATCH_CONFIG", () => {
    const path = writeConfig("from-env.yaml", "server:\n  port: 9100\n");
    expect(loadConfig({ env: { DRIFTWATCH_CONFIG: path } }).server.port).toBe(9100);
  });

  it("an explicit path wins over DRIFTWATCH_CONFIG", () => {
    const explicit = writeConfig("explicit.yaml", "server:\n  port: 9200\n");
    const fromEnv = writeConfig("ignored.yaml", "server:\n  port: 9300\n");
    expect(loadConfig({ path: explicit, env: { DRIFTWATCH_CONFIG: fromEnv } }).server.port).toBe(
      9200,
    );
  });

  it("a missing file is an error naming it", () => {
    expect(() => loadConfig({ path: join(dir, "nope.yaml"), env: {} })).toThrow(
      /nope\.yaml: file not found/,
    );
  });
});

describe("a valid file", () => {
  it("examples/driftwatch.yaml loads with its values", () => {
    const config = loadConfig({
      path: "examples/driftwatch.yaml",
      env: {
        DRIFTWATCH_PIPELINE_TOKEN: "pipeline-token-0123456789",
        DRIFTWATCH_ADMIN_TOKEN: "admin-token-0123456789abc",
      },
    });
    expect(config.retention.predictions).toBe(90);
    expect(config.auth.tokens.map((token) => [token.name, token.role])).toEqual([
      ["pipeline", "write"],
      ["ops", "admin"],
    ]);
    expect(config.retention.audit_log).toBe(0);
    expect(config.kafka.topicPartitions).toBe(3);
    expect(config.server.host).toBe("0.0.0.0");
  });

  it("keeps given values and fills the rest of a section with defaults", () => {
    const config = parseConfig(
      [
        "kafka:",
        "  brokers: [b1:9092, b2:9093]",
        "  ssl: { enabled: true, ca: /etc/ca.pem, rejectUnauthorized: false }",
        "  sasl: { mechanism: scram-sha-256, username: svc, password: pw }",
        "  topics: { predictions: preds }",
        "clickhouse:",
        "  url: https://ch.example:8443",
        "  tls: { ca: /etc/ch-ca.pem }",
        "ingest: { batchMaxRows: 500, retry: { maxBackoffMs: 5000 } }",
        "retention: { predictions: 7 }",
      ].join("\n"),
      { env: {} },
    );
    expect(config.kafka.brokers).toEqual(["b1:9092", "b2:9093"]);
    expect(config.kafka.ssl).toEqual({
      enabled: true,
      ca: "/etc/ca.pem",
      rejectUnauthorized: false,
    });
    expect(config.kafka.sasl).toEqual({
      mechanism: "scram-sha-256",
      username: "svc",
      password: "pw",
    });
    expect(config.kafka.topics.predictions).toBe("preds");
    expect(config.kafka.topics.labels).toBe("driftwatch.labels");
    expect(config.clickhouse.tls).toEqual({ ca: "/etc/ch-ca.pem", rejectUnauthorized: true });
    expect(config.ingest.batchMaxRows).toBe(500);
    expect(config.ingest.batchMaxWaitMs).toBe(1000);
    expect(config.ingest.retry.maxBackoffMs).toBe(5000);
    expect(config.retention).toEqual({ predictions: 7 });
  });

  it("an empty file or one holding only comments means all defaults", () => {
    expect(parseConfig("# nothing here\n", { env: {} })).toEqual(loadConfig({ env: {} }));
  });
});

describe("environment overrides", () => {
  it("override the file and the defaults", () => {
    const config = parseConfig("kafka:\n  brokers: [file:9092]\nserver:\n  port: 9000\n", {
      env: {
        DRIFTWATCH_KAFKA_BROKERS: "k1:9092, k2:9092",
        DRIFTWATCH_CLICKHOUSE_URL: "http://ch:8123",
        DRIFTWATCH_CLICKHOUSE_DATABASE: "dw_other",
        DRIFTWATCH_CLICKHOUSE_USER: "writer",
        DRIFTWATCH_CLICKHOUSE_PASSWORD: "chpw",
        DRIFTWATCH_CLICKHOUSE_CLUSTER: "driftwatch",
        DRIFTWATCH_PORT: "9090",
        DRIFTWATCH_KAFKA_SASL_USERNAME: "svc",
        DRIFTWATCH_KAFKA_SASL_PASSWORD: "kpw",
      },
    });
    expect(config.kafka.brokers).toEqual(["k1:9092", "k2:9092"]);
    expect(config.clickhouse).toMatchObject({
      url: "http://ch:8123",
      database: "dw_other",
      username: "writer",
      password: "chpw",
      cluster: "driftwatch",
    });
    expect(parseConfig("", { env: {} }).clickhouse.cluster).toBeUndefined();
    expect(config.server.port).toBe(9090);
    expect(config.kafka.sasl).toEqual({ mechanism: "plain", username: "svc", password: "kpw" });
  });

  it("a bad value from the environment names the variable", () => {
    const error = configError("", { DRIFTWATCH_PORT: "eighty" });
    expect(error.message).toBe(
      'config error at server.port (from DRIFTWATCH_PORT): must be an integer (got "eighty")',
    );
    expect(configError("", { DRIFTWATCH_CLICKHOUSE_DATABASE: "drift-watch" }).message).toMatch(
      /^config error at clickhouse\.database \(from DRIFTWATCH_CLICKHOUSE_DATABASE\): must be a ClickHouse identifier/,
    );
    expect(configError("", { DRIFTWATCH_CLICKHOUSE_CLUSTER: "dw cluster" }).message).toMatch(
      /^config error at clickhouse\.cluster \(from DRIFTWATCH_CLICKHOUSE_CLUSTER\): must be a ClickHouse identifier/,
    );
  });
});

describe("${VAR} substitution", () => {
  it("replaces variables inside string values, and $${…} stays literal", () => {
    const config = parseConfig(
      [
        "clickhouse:",
        "  password: ${CH_PASSWORD}",
        "  url: http://${CH_HOST}:8123",
        "kafka:",
        "  clientId: keep-$${NOT_A_VAR}",
      ].join("\n"),
      { env: { CH_PASSWORD: "s3cret'\"${x}", CH_HOST: "ch.internal" } },
    );
    expect(config.clickhouse.password).toBe("s3cret'\"${x}");
    expect(config.clickhouse.url).toBe("http://ch.internal:8123");
    expect(config.kafka.clientId).toBe("keep-${NOT_A_VAR}");
  });

  it("a missing variable is an error naming the YAML path and the variable", () => {
    const error = configError(
      "kafka:\n  sasl:\n    username: svc\n    password: ${KAFKA_PASSWORD}\n",
    );
    expect(error.message).toBe(
      "config error at kafka.sasl.password (line 4, column 15): environment variable KAFKA_PASSWORD is not set",
    );
    expect(error.issues).toHaveLength(1);
  });

  it("substitutes inside lists too", () => {
    const config = parseConfig("kafka:\n  brokers: ['${B1}:9092', 'b2:9092']\n", {
      env: { B1: "b1" },
    });
    expect(config.kafka.brokers).toEqual(["b1:9092", "b2:9092"]);
  });
});

describe("invalid files", () => {
  const cases: { name: string; yaml: string; expected: string }[] = [
    {
      name: "a SASL mechanism outside the list",
      yaml: "kafka:\n  sasl:\n    username: u\n    password: p\n    mechanism: gssapi\n",
      expected:
        'config error at kafka.sasl.mechanism (line 5, column 16): must be one of plain, scram-sha-256, scram-sha-512 (got "gssapi")',
    },
    {
      name: "a port of the wrong type",
      yaml: "server:\n  port: http\n",
      expected: 'config error at server.port (line 2, column 9): must be an integer (got "http")',
    },
    {
      name: "a port out of range",
      yaml: "server:\n  port: 70000\n",
      expected: "config error at server.port (line 2, column 9): must be <= 65535 (got 70000)",
    },
    {
      name: "a broker without a port",
      yaml: "kafka:\n  brokers:\n    - ok:9092\n    - nohost\n",
      expected:
        'config error at kafka.brokers[1] (line 4, column 7): must be host:port (got "nohost")',
    },
    {
      name: "an empty broker list",
      yaml: "kafka:\n  brokers: []\n",
      expected: "config error at kafka.brokers (line 2, column 12): must not be empty",
    },
    {
      name: "an election session timeout Kafka would refuse",
      yaml: "monitor:\n  electionSessionTimeout: 2s\n",
      expected:
        "config error at monitor.electionSessionTimeout (line 2, column 27): must be between 6s and 300s (the Kafka broker's default session timeout limits)",
    },
    {
      name: "a negative retention",
      yaml: "retention:\n  predictions: -3\n",
      expected: "config error at retention.predictions (line 2, column 16): must be >= 0 (got -3)",
    },
    {
      name: "a SASL block without username",
      yaml: "kafka:\n  sasl:\n    password: p\n",
      expected: "config error at kafka.sasl.username (line 3, column 5): is required",
    },
    {
      name: "a section that is not a mapping",
      yaml: "clickhouse: localhost\n",
      expected:
        'config error at clickhouse (line 1, column 13): must be a mapping (key: value) (got "localhost")',
    },
    {
      name: "a URL that is not http(s)",
      yaml: "clickhouse:\n  url: tcp://ch:9000\n",
      expected:
        'config error at clickhouse.url (line 2, column 8): must be an http:// or https:// URL (got "tcp://ch:9000")',
    },
    {
      name: "backoff min above max",
      yaml: "ingest:\n  retry:\n    minBackoffMs: 5000\n    maxBackoffMs: 100\n",
      expected:
        "config error at ingest.retry.maxBackoffMs (line 4, column 19): must be at least ingest.retry.minBackoffMs (5000)",
    },
    {
      name: "a client certificate without its key",
      yaml: "kafka:\n  ssl:\n    enabled: true\n    cert: /c.pem\n",
      expected:
        "config error at kafka.ssl.cert (line 4, column 11): needs kafka.ssl.key as well (mutual TLS)",
    },
    {
      name: "YAML that does not parse",
      yaml: "kafka:\n  brokers: [a:1\nserver: {\n",
      expected: "config error at (root) (line 3",
    },
    {
      name: "a list at the top level",
      yaml: "- kafka\n",
      expected:
        "config error at (root) (line 1, column 1): the config file must be a mapping of sections",
    },
  ];

  for (const { name, yaml, expected } of cases) {
    it(name, () => {
      const error = configError(yaml);
      expect(
        error.message.startsWith(expected),
        `${error.message}\n  should start with\n${expected}`,
      ).toBe(true);
    });
  }

  it("an unknown key is an error at the key, with a suggestion for a typo", () => {
    const error = configError("kafka:\n  brokers: [a:9092]\nclickhouse:\n  databse: dw\n");
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(
      /^config error at clickhouse\.databse \(line 4, column 3\): unknown key "databse" \(did you mean "database"\?\); allowed keys: url, database,/,
    );
  });

  it("an unknown section is an error too", () => {
    const error = configError("kafak:\n  brokers: [a:9092]\n");
    expect(error.message).toMatch(
      /^config error at kafak \(line 1, column 1\): unknown key "kafak" \(did you mean "kafka"\?\)/,
    );
  });

  it("reports every problem, in file order", () => {
    const error = configError("server:\n  port: x\nkafka:\n  groupId: ''\n  clientID: a\n");
    expect(error.issues.map((issue) => [issue.path.join("."), issue.line])).toEqual([
      ["server.port", 2],
      ["kafka.groupId", 4],
      ["kafka.clientID", 5],
    ]);
  });

  it("the file name is part of the message when loading a file", () => {
    const path = writeConfig("bad.yaml", "server:\n  port: x\n");
    expect(() => loadConfig({ path, env: {} })).toThrow(`(in ${path})`);
  });

  it("a mistyped secret is reported without echoing its value", () => {
    const error = configError("clickhouse:\n  password: 123456789\n");
    expect(error.message).toBe(
      "config error at clickhouse.password (line 2, column 13): must be a string",
    );
    expect(error.message).not.toContain("123456789");
  });
});

describe("docs/configuration.md", () => {
  it("its quick-start example is a valid config", () => {
    const markdown = readFileSync("docs/configuration.md", "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig(example!, {
      env: { KAFKA_PASSWORD: "k", CLICKHOUSE_PASSWORD: "c" },
    });
    expect(config.kafka.sasl?.mechanism).toBe("scram-sha-512");
    expect(config.clickhouse.url).toBe("https://clickhouse.internal:8443");
  });
});
