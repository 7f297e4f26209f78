// The API under test: a ClickHouse database and a Kafka topic of the test's own, a
// recording stand-in for the monitoring engine's MonitorOperations (a sibling module's
// interface), and `withApp`, which builds the app from YAML config and closes it after the test.
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { createAlertsApi, type AlertsApi } from "../../alerts/index.js";
import { buildApp } from "../../src/api/index.js";
import type { AuditLog } from "../../src/audit/index.js";
import type { AsyncReadinessCheck } from "../../src/api/index.js";
import { parseConfig, type DriftwatchConfig } from "../../src/config/index.js";
import { createKafkaClient, type KafkaClient, type Producer } from "../../src/kafka/index.js";
import { createMetricsRegistry, type Registry } from "../../src/metrics/registry.js";
import type {
  Actor,
  EvaluationSummary,
  ModelStatus,
  ModelSummary,
  MonitorOperations,
  ReferenceInfo,
  ReferenceSpec,
} from "../../src/monitor/operations.js";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../src/store/index.js";
import { brokers, serverEngine, uniqueDatabase } from "./stack.js";
import { TOKEN_ENV } from "./tokens.js";

/** A MonitorOperations that knows one model and records every call it gets. */
export class RecordingMonitor implements MonitorOperations {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly models: ModelSummary[] = [
    {
      model: "credit-risk",
      configured: true,
      task: "binary",
      versions: ["1", "2"],
      latestVersion: "2",
      lastEventAt: Date.UTC(2026, 10, 23, 8),
    },
  ];

  private reference(model: string, version: string, spec: ReferenceSpec, actor: Actor) {
    const base = { model, modelVersion: version, createdAt: Date.now(), createdBy: actor.name };
    const info: ReferenceInfo =
      spec.kind === "fixed"
        ? { ...base, kind: "fixed", rows: 1000, from: spec.from, to: spec.to }
        : spec.kind === "rolling"
          ? { ...base, kind: "rolling", rows: 0, days: spec.days }
          : { ...base, kind: "dataset", rows: spec.rows.length };
    return info;
  }

  async listModels(): Promise<ModelSummary[]> {
    this.calls.push({ method: "listModels", args: [] });
    return this.models;
  }
  async getModel(model: string): Promise<ModelSummary | undefined> {
    this.calls.push({ method: "getModel", args: [model] });
    return this.models.find((summary) => summary.model === model);
  }
  async setReference(model: string, version: string, spec: ReferenceSpec, actor: Actor) {
    this.calls.push({ method: "setReference", args: [model, version, spec, actor] });
    return this.reference(model, version, spec, actor);
  }
  async getReference(model: string, version: string): Promise<ReferenceInfo | undefined> {
    this.calls.push({ method: "getReference", args: [model, version] });
    return version === "2"
      ? this.reference(model, version, { kind: "rolling", days: 7 }, { name: "system" })
      : undefined;
  }
  async registerVersion(
    model: string,
    version: string,
    spec: ReferenceSpec | undefined,
    actor: Actor,
  ) {
    this.calls.push({ method: "registerVersion", args: [model, version, spec, actor] });
    return {
      model,
      modelVersion: version,
      ...(spec !== undefined ? { reference: this.reference(model, version, spec, actor) } : {}),
    };
  }
  async status(model: string): Promise<ModelStatus> {
    this.calls.push({ method: "status", args: [model] });
    return {
      model,
      modelVersion: "2",
      state: "drifting",
      reasons: ["income: wasserstein_normed 0.31 ≥ 0.1"],
      windowStart: Date.UTC(2026, 10, 23, 7),
      windowEnd: Date.UTC(2026, 10, 23, 8),
      evaluatedAt: Date.UTC(2026, 10, 23, 8, 1),
    };
  }
  async evaluate(
    model: string,
    actor: Actor,
    window?: { readonly from: number; readonly to: number },
  ): Promise<EvaluationSummary[]> {
    this.calls.push({ method: "evaluate", args: [model, actor, window] });
    return [
      {
        model,
        modelVersion: "2",
        windowStart: window?.from ?? Date.UTC(2026, 10, 23, 7),
        windowEnd: window?.to ?? Date.UTC(2026, 10, 23, 8),
        rows: 1200,
        driftShare: 0.25,
        drifted: false,
      },
    ];
  }
}

/** Everything the API talks to, shared by a test file; `close()` drops and deletes it. */
export interface ApiTestEnv {
  readonly database: string;
  readonly topic: string;
  readonly engine: SqlEngine;
  readonly kafka: KafkaClient;
  readonly producer: Producer;
  close(): Promise<void>;
}

export async function createApiTestEnv(tag: string): Promise<ApiTestEnv> {
  const database = uniqueDatabase(tag);
  const topic = `dwtest.${tag}.${randomBytes(4).toString("hex")}.predictions`;
  const engine = serverEngine();
  await applyMigrations(engine, database);
  const kafka = createKafkaClient(
    {
      brokers: brokers(),
      clientId: `dwtest-${tag}`,
    },
    pino({ level: "silent" }),
  );
  const admin = kafka.admin();
  await admin.connect();
  await admin.ensureTopics([{ topic, partitions: 1, replicationFactor: 1 }]);
  await admin.close();
  const producer = kafka.producer();
  await producer.connect();
  return {
    database,
    topic,
    engine,
    kafka,
    producer,
    async close() {
      await producer.close();
      const cleaner = kafka.admin();
      await cleaner.connect();
      await cleaner.deleteTopics([topic]).catch(() => undefined);
      await cleaner.close();
      await dropDatabase(engine, database);
      await engine.close();
    },
  };
}

export interface AppUnderTest {
  readonly app: FastifyInstance;
  /** The recording monitor (unused by the app when `options.monitor` supplied another). */
  readonly monitor: RecordingMonitor;
  readonly alertsApi: AlertsApi;
  readonly config: DriftwatchConfig;
  readonly registry: Registry;
  /** Everything the app logged, as text. */
  logs(): string;
}

export interface AppOptions {
  /** Extra YAML appended to the test config (auth, server, alerts sections). */
  readonly yaml?: string;
  readonly env?: Record<string, string>;
  readonly readiness?: Record<string, AsyncReadinessCheck>;
  /** Instead of the environment's connected producer. */
  readonly producer?: Producer;
  /** Instead of the audit log in the test database. */
  readonly audit?: AuditLog;
  /** The monitoring engine to use instead of the RecordingMonitor (e.g. the real one). */
  readonly monitor?: (parts: {
    config: DriftwatchConfig;
    engine: SqlEngine;
    registry: Registry;
    logger: Logger;
  }) => MonitorOperations;
}

/** Build the app for one test and close it afterwards, whatever happens. */
export async function withApp(
  env: ApiTestEnv,
  options: AppOptions,
  test: (subject: AppUnderTest) => Promise<void>,
): Promise<void> {
  const yaml = `clickhouse: { database: ${env.database} }
kafka: { topics: { predictions: ${env.topic} } }
${options.yaml ?? ""}`;
  const config = parseConfig(yaml, { env: { ...TOKEN_ENV, ...options.env } });
  let logText = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText += chunk.toString("utf8");
      done();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const recording = new RecordingMonitor();
  const registry = createMetricsRegistry();
  const monitor = options.monitor?.({ config, engine: env.engine, registry, logger }) ?? recording;
  const alertsApi = createAlertsApi({
    config: config.alerts,
    store: { engine: env.engine, database: env.database },
    logger,
  });
  const app = await buildApp({
    config,
    engine: env.engine,
    producer: options.producer ?? env.producer,
    ...(options.audit !== undefined ? { audit: options.audit } : {}),
    monitor,
    alertsApi,
    registry,
    logger,
    ...(options.readiness !== undefined ? { readiness: options.readiness } : {}),
  });
  try {
    await test({ app, monitor: recording, alertsApi, config, registry, logs: () => logText });
  } finally {
    await app.close();
    await alertsApi.close();
  }
}
