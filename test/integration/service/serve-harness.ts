// Shared set-up for the `serve` process tests: a database, Kafka topics and groups of the test's
// own, a driftwatch.yaml pointing at them (auth tokens from the environment), `bin/driftwatch
// serve` children logging at info level, their /metrics samples and log lines, and waiting for
// conditions.
import { stackBrokers } from "../../support/stack-env.js";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKafkaClient } from "../../../src/kafka/index.js";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../../src/store/index.js";
import { createLogger } from "../../../src/util/logger.js";
import { TOKEN_ENV, TOKENS } from "../api/harness.js";
import { runDriftwatch, servedPort, type Child } from "../ingest/child-process.js";
import { waitFor } from "../ingest/harness.js";
import { clickHouseUrl, serverEngine, uniqueDatabase } from "../store/engines.js";

export { TOKENS, waitFor };

export function brokers(): string[] {
  return stackBrokers();
}

export interface ServeTestEnv {
  readonly tag: string;
  readonly database: string;
  readonly topics: {
    readonly predictions: string;
    readonly labels: string;
    readonly dlq: string;
    readonly control: string;
  };
  readonly groupId: string;
  readonly engine: SqlEngine;
  /** A driftwatch.yaml for this environment plus `extraYaml` (top-level sections). */
  writeConfig(extraYaml: string): string;
  cleanup(): Promise<void>;
}

/** Database (migrated), topic names and a group of the test's own; `cleanup()` removes them. */
export async function createServeTestEnv(tag: string): Promise<ServeTestEnv> {
  const suffix = randomBytes(4).toString("hex");
  const database = uniqueDatabase(tag);
  const topics = {
    predictions: `dwtest.${tag}.${suffix}.predictions`,
    labels: `dwtest.${tag}.${suffix}.labels`,
    dlq: `dwtest.${tag}.${suffix}.dlq`,
    control: `dwtest.${tag}.${suffix}.control`,
  };
  const groupId = `dwtest-${tag}-${suffix}`;
  const engine = serverEngine();
  await applyMigrations(engine, database);
  const dir = mkdtempSync(join(tmpdir(), `dwtest-${tag}-`));
  return {
    tag,
    database,
    topics,
    groupId,
    engine,
    writeConfig(extraYaml) {
      const path = join(dir, "driftwatch.yaml");
      writeFileSync(
        path,
        `server: { port: 0, host: 127.0.0.1 }
clickhouse: { database: ${database}, url: ${JSON.stringify(clickHouseUrl())} }
kafka:
  brokers: [${brokers()
    .map((broker) => JSON.stringify(broker))
    .join(", ")}]
  groupId: ${groupId}
  topicPartitions: 2
  topics:
    predictions: ${topics.predictions}
    labels: ${topics.labels}
    dlq: ${topics.dlq}
    control: ${topics.control}
ingest: { batchMaxWaitMs: 200 }
auth:
  tokens:
    - { name: pipeline, token: "\${DW_TEST_WRITE_TOKEN}", role: write }
    - { name: ops-admin, token: "\${DW_TEST_ADMIN_TOKEN}", role: admin }
${extraYaml}`,
      );
      return path;
    },
    async cleanup() {
      const admin = createKafkaClient(
        { brokers: brokers(), clientId: `dwtest-${tag}-cleanup` },
        createLogger(`cleanup-${tag}`, "silent"),
      ).admin();
      await admin.connect();
      await admin.deleteTopics(Object.values(topics)).catch(() => undefined);
      await admin.close();
      await dropDatabase(engine, database).catch(() => undefined);
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ServeChild extends Child {
  /** The HTTP port (API, /metrics, /healthz, /readyz). */
  readonly port: number;
  readonly url: string;
}

/** Every child startServe spawned, for killServeChildren (even when it never became ready). */
const spawned: Child[] = [];

/** Start `driftwatch serve` (info logs, the auth tokens' variables set); resolves once ready. */
export async function startServe(config: string, role = "all"): Promise<ServeChild> {
  const child = runDriftwatch(["serve", "--config", config, "--role", role], undefined, {
    ...TOKEN_ENV,
    DRIFTWATCH_LOG_LEVEL: "info",
  });
  spawned.push(child);
  let exitedWith: number | string | undefined;
  void child.exited.then((code) => (exitedWith = code));
  // Stops waiting as soon as the child exits (waitFor retries a probe that throws).
  const { port } = await waitFor(
    "serve to log its port",
    async () => ({ port: servedPort(child), exited: exitedWith !== undefined }),
    (state) => state.port !== undefined || state.exited,
    30_000,
  );
  if (port === undefined) {
    throw new Error(`serve exited (${exitedWith}):\n${child.stderr().slice(-3_000)}`);
  }
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "serve to be ready",
    async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status,
    (status) => status === 200,
    30_000,
  );
  return { ...child, port, url };
}

/** SIGKILL every serve child still running (after a test, whatever happened) and wait for them. */
export async function killServeChildren(): Promise<void> {
  for (const child of spawned.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill("SIGKILL");
      await child.exited;
    }
  }
}

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The samples of one metric in a Prometheus text exposition (`# …` lines skipped). */
export function samples(exposition: string, metric: string): Sample[] {
  const found: Sample[] = [];
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(metric + " ") && !line.startsWith(metric + "{")) continue;
    const labels: Record<string, string> = {};
    const close = line.lastIndexOf("}");
    if (line.startsWith(metric + "{")) {
      const body = line.slice(metric.length + 1, close);
      for (const match of body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
        labels[match[1]!] = match[2]!.replace(/\\(.)/g, "$1");
      }
    }
    const rest = line.slice(close >= 0 ? close + 1 : metric.length).trim();
    found.push({ labels, value: Number(rest.split(" ")[0]) });
  }
  return found;
}

/** The samples of `metric` a serve process exposes now. */
export async function scrapeSamples(child: ServeChild, metric: string): Promise<Sample[]> {
  const response = await fetch(`${child.url}/metrics`);
  return samples(await response.text(), metric);
}

/** The JSON log lines a child wrote with message `msg`. */
export function logLines(child: Child, msg: string): Record<string, unknown>[] {
  return child
    .stderr()
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes(`"msg":${JSON.stringify(msg)}`))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // the last line may be cut short by a kill
      }
    });
}

/** POST prediction events through the HTTP API (write token); resolves once Kafka acknowledged. */
export async function postEvents(child: ServeChild, events: readonly object[]): Promise<void> {
  for (let start = 0; start < events.length; start += 500) {
    const response = await fetch(`${child.url}/api/v1/events`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${TOKENS.writer}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(events.slice(start, start + 500)),
    });
    if (response.status !== 202) {
      throw new Error(`POST /api/v1/events: ${response.status} ${await response.text()}`);
    }
  }
}
