// `driftwatch serve` children and what a test reads of them: a database, Kafka topics and groups
// of the test's own with a driftwatch.yaml pointing at them (auth tokens from the environment),
// serve children logging at info level (optionally with fault points), their port, /metrics
// samples and log lines, posting events through the API, and killing every child after a test.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKafkaClient } from "../../src/kafka/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  type SqlEngine,
} from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";
import { type Child, runDriftwatch } from "./cli.js";
import { waitFor } from "./clock.js";
import { brokers, clickHouseUrl, serverEngine, uniqueDatabase } from "./stack.js";
import { TOKEN_ENV, TOKENS } from "./tokens.js";

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

/** Where a serve environment lives: the test stack by default, or servers of a test's own. */
export interface ServeTarget {
  readonly brokers: readonly string[];
  readonly clickhouseUrl: string;
  /** The ClickHouse cluster (clickhouse.cluster) the schema lives on. */
  readonly cluster?: string;
  /** kafka.replicationFactor of the topics serve creates (default 1). */
  readonly replicationFactor?: number;
  /** kafka.topicPartitions (default 2). */
  readonly topicPartitions?: number;
}

/** Database (migrated), topic names and a group of the test's own; `cleanup()` removes them. */
export async function createServeTestEnv(tag: string, target?: ServeTarget): Promise<ServeTestEnv> {
  const brokerList = target?.brokers ?? brokers();
  const url = target?.clickhouseUrl ?? clickHouseUrl();
  const suffix = randomBytes(4).toString("hex");
  const database = uniqueDatabase(tag);
  const topics = {
    predictions: `dwtest.${tag}.${suffix}.predictions`,
    labels: `dwtest.${tag}.${suffix}.labels`,
    dlq: `dwtest.${tag}.${suffix}.dlq`,
    control: `dwtest.${tag}.${suffix}.control`,
  };
  const groupId = `dwtest-${tag}-${suffix}`;
  const engine =
    target === undefined
      ? serverEngine()
      : createHttpEngine({ url, cluster: target.cluster, requestTimeoutMs: 60_000 });
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
clickhouse: { database: ${database}, url: ${JSON.stringify(url)}${
          target?.cluster === undefined ? "" : `, cluster: ${target.cluster}`
        } }
kafka:
  brokers: [${brokerList.map((broker) => JSON.stringify(broker)).join(", ")}]
  groupId: ${groupId}
  topicPartitions: ${target?.topicPartitions ?? 2}
  replicationFactor: ${target?.replicationFactor ?? 1}
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
        { brokers: [...brokerList], clientId: `dwtest-${tag}-cleanup` },
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

/** Every serve child spawned, for killServeChildren (even when it never became ready). */
const spawned: Child[] = [];

/** Deterministic fault points for a serve child (DRIFTWATCH_TEST_HOOKS, src/util/test-hooks.ts). */
export interface FaultHooks {
  /** The plan (DRIFTWATCH_TEST_HOOKS). */
  readonly plan: string;
  /** The file a paused point waits for (DRIFTWATCH_TEST_HOOKS_RESUME). */
  readonly resumePath?: string;
}

/** Spawn `driftwatch serve` with info logs, the auth tokens' variables and, optionally, fault points. */
export function spawnServe(config: string, role = "all", hooks?: FaultHooks): Child {
  const child = runDriftwatch(["serve", "--config", config, "--role", role], undefined, {
    ...TOKEN_ENV,
    DRIFTWATCH_LOG_LEVEL: "info",
    ...(hooks !== undefined ? { DRIFTWATCH_TEST_HOOKS: hooks.plan } : {}),
    ...(hooks?.resumePath !== undefined ? { DRIFTWATCH_TEST_HOOKS_RESUME: hooks.resumePath } : {}),
  });
  spawned.push(child);
  return child;
}

/** The HTTP port a serve child logged (needs DRIFTWATCH_LOG_LEVEL=info). */
export function servedPort(child: Child): number | undefined {
  const match = /"port":(\d+),"msg":"serving \/metrics/.exec(child.stderr());
  return match === null ? undefined : Number(match[1]);
}

/** Start `driftwatch serve` (as spawnServe); resolves once ready. */
export async function startServe(
  config: string,
  role = "all",
  { timeoutMs = 30_000 }: { readonly timeoutMs?: number } = {},
): Promise<ServeChild> {
  const child = spawnServe(config, role);
  let exitedWith: number | string | undefined;
  void child.exited.then((code) => (exitedWith = code));
  // Stops waiting as soon as the child exits (waitFor retries a probe that throws).
  const { port } = await waitFor(
    "serve to log its port",
    async () => ({ port: servedPort(child), exited: exitedWith !== undefined }),
    (state) => state.port !== undefined || state.exited,
    timeoutMs,
  );
  if (port === undefined) {
    throw new Error(`serve exited (${exitedWith}):\n${child.stderr().slice(-3_000)}`);
  }
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "serve to be ready",
    async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status,
    (status) => status === 200,
    timeoutMs,
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

/** The sum of `metric` over its label sets on the /metrics of the process on `port`. */
export async function scrape(port: number, metric: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return samples(text, metric).reduce((sum, sample) => sum + sample.value, 0);
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
