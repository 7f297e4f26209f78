// The MLflow integration against a real MLflow server (SQLite backend, local artifacts) and the
// test stack's ClickHouse: a retraining pipeline registers versions and moves the alias (or the
// stage); driftwatch follows by polling (started by the scheduler's evaluator hook, as `serve`
// wires it) and by webhooks (MLflow delivers them to the real HTTP route), registers each
// version with the reference its config names (CSV or Parquet artifact, training window), never
// twice, and writes its verdict back as version tags.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig, type DriftwatchConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { createAlertsApi } from "../../../alerts/index.js";
import { startApiServer, type ApiServer } from "../../../src/api/index.js";
import { createMlflowIntegration, MlflowFollower } from "../../../src/integrations/index.js";
import type { Producer } from "../../../src/kafka/index.js";
import { createEvaluation, type Evaluation } from "../../../src/service/evaluation.js";
import {
  applyMigrations,
  createClickHouseEngine,
  raw,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { createLogger } from "../../../src/util/index.js";
import { eventually, startTestMlflow, type TestMlflow } from "../../support/mlflow.js";

const SECRET = "whsec-driftwatch-test-0123456789";
const EXAMPLE = fileURLToPath(
  new URL("../../../examples/mlflow/register_version.py", import.meta.url),
);
const DAY = 86_400_000;
const logger = createLogger("mlflow-test", process.env.DRIFTWATCH_TEST_LOG_LEVEL ?? "error");

/** `n` rows of x ~ a deterministic spread around `center`, y categorical. */
function csvRows(n: number, center: number): string {
  const lines = ["x,y"];
  for (let i = 0; i < n; i++) {
    lines.push(`${(center + ((i * 37) % 100) / 50 - 1).toFixed(4)},${["a", "b", "c"][i % 3]}`);
  }
  return `${lines.join("\n")}\n`;
}

function yamlConfig(database: string, trackingUri: string, webhook: boolean): string {
  return `clickhouse:
  url: ${process.env.DRIFTWATCH_CLICKHOUSE_URL}
  database: ${database}
server:
  host: 127.0.0.1
  port: 0
alerts:
  enabled: false
integrations:
  mlflow:
    trackingUri: ${trackingUri}
    polling:
      interval: 500ms
${webhook ? `    webhook:\n      secret: \${MLFLOW_WEBHOOK_SECRET}\n` : ""}    models:
      - model: credit
        registeredModel: CreditRisk
        alias: champion
        reference: {kind: dataset, artifactPath: reference/train.csv}
      - model: fraud
        registeredModel: Fraud
        alias: champion
        reference: {kind: trainingWindow, from: train_start, to: train_end}
      - model: churn
        registeredModel: Churn
        stage: Production
        reference: {kind: dataset, artifactPath: data/ref.parquet}
`;
}

describe("MLflow model registry integration (real MLflow server)", () => {
  let mlflow: TestMlflow;
  let engine: SqlEngine;
  let config: DriftwatchConfig;
  let evaluation: Evaluation;
  const database = `dw_test_mlflow_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    mlflow = await startTestMlflow();
    config = parseConfig(yamlConfig(database, mlflow.server.url, true), {
      env: { MLFLOW_WEBHOOK_SECRET: SECRET },
    });
    engine = createClickHouseEngine(config.clickhouse);
    await applyMigrations(engine, database);
    evaluation = createEvaluation({
      config,
      engine,
      registry: createMetricsRegistry(),
      logger,
      tickMs: 200,
    });
  });

  afterAll(async () => {
    await evaluation?.monitor.stop();
    await engine?.command(sql`DROP DATABASE IF EXISTS ${raw(database)}`).catch(() => undefined);
    await engine?.close();
    await mlflow?.stop();
  });

  it("polls on the evaluator: the alias's version is registered with its CSV artifact as reference", async () => {
    const [run] = await mlflow.run([
      { op: "log_run", artifacts: { "reference/train.csv": csvRows(300, 0) } },
    ]);
    await mlflow.run([
      { op: "register", name: "CreditRisk", run_id: run!.run_id },
      { op: "set_alias", name: "CreditRisk", alias: "champion", version: "1" },
    ]);
    // The scheduler's evaluator hook starts the follower (no Kafka: this instance evaluates).
    await evaluation.monitor.start();
    const reference = await eventually(
      () => evaluation.monitor.getReference("credit", "1"),
      30_000,
      "credit version 1 to be registered",
    );
    expect(reference).toMatchObject({ kind: "dataset", rows: 300, createdBy: "mlflow" });
    await evaluation.monitor.stop();
  });

  it("moving the alias registers the new version; the old one and repeated polls change nothing", async () => {
    const [run] = await mlflow.run([
      { op: "log_run", artifacts: { "reference/train.csv": csvRows(120, 5) } },
    ]);
    await mlflow.run([
      { op: "register", name: "CreditRisk", run_id: run!.run_id },
      { op: "set_alias", name: "CreditRisk", alias: "champion", version: "2" },
    ]);
    const follower = evaluation.mlflow!.follower;
    const first = await follower.pollOnce();
    expect(first.find((result) => result.model === "credit")).toMatchObject({
      version: "2",
      outcome: "registered",
    });
    expect(await evaluation.monitor.getReference("credit", "2")).toMatchObject({
      kind: "dataset",
      rows: 120,
    });
    expect(await evaluation.monitor.getReference("credit", "1")).toMatchObject({ rows: 300 });
    const again = await follower.pollOnce();
    expect(again.find((result) => result.model === "credit")?.outcome).toBe("unchanged");
    // A restarted instance derives what was registered from the references the monitor holds.
    const restarted = createMlflowIntegration({
      config: config.integrations.mlflow!,
      monitor: evaluation.monitor,
      logger,
    });
    expect(restarted.follower).toBeInstanceOf(MlflowFollower);
    const afterRestart = await restarted.follower.pollOnce();
    expect(afterRestart.find((result) => result.model === "credit")?.outcome).toBe(
      "already-registered",
    );
    // Nothing set on the other followed models yet.
    expect(afterRestart.find((result) => result.model === "fraud")?.outcome).toBe("not-set");
  });

  it("follows a stage, reading the run's Parquet artifact (pyarrow-written) with hyparquet", async () => {
    const [parquet] = await mlflow.run([
      {
        op: "parquet",
        columns: { x: [1.5, 2.5, null, 4], region: ["EU", "US", "EU", null], n: [1, 2, 3, 4] },
      },
    ]);
    const [run] = await mlflow.run([
      { op: "log_run", artifacts: { "data/ref.parquet": { hex: parquet!.hex } } },
    ]);
    await mlflow.run([
      { op: "register", name: "Churn", run_id: run!.run_id },
      { op: "transition", name: "Churn", version: "1", stage: "Production" },
    ]);
    const results = await evaluation.mlflow!.follower.pollOnce();
    expect(results.find((result) => result.model === "churn")).toMatchObject({
      version: "1",
      outcome: "registered",
    });
    expect(await evaluation.monitor.getReference("churn", "1")).toMatchObject({
      kind: "dataset",
      rows: 4,
    });
  });

  describe("webhooks", () => {
    let api: ApiServer;
    let alertsApi: ReturnType<typeof createAlertsApi>;
    const producer = {
      connect: async () => undefined,
      send: async () => undefined,
      close: async () => undefined,
    } as unknown as Producer;
    let webhookUrl: string;

    beforeAll(async () => {
      alertsApi = createAlertsApi({
        config: config.alerts,
        store: { engine, database },
        logger,
        engine: () => undefined,
      });
      api = await startApiServer({
        config,
        engine,
        producer,
        monitor: evaluation.monitor,
        alertsApi,
        registry: createMetricsRegistry(),
        logger,
        mlflowWebhook: evaluation.mlflow!.webhook!,
      });
      webhookUrl = `http://127.0.0.1:${api.port}/api/v1/integrations/mlflow/webhook`;
      await mlflow.run([
        {
          op: "create_webhook",
          hook: "driftwatch",
          url: webhookUrl,
          events: ["model_version_alias.created", "model_version.created"],
          secret: SECRET,
        },
      ]);
    });

    afterAll(async () => {
      await api?.close();
      await alertsApi?.close();
    });

    it("an alias event registers the version with the run's training window, without a poll", async () => {
      const [run] = await mlflow.run([
        {
          op: "log_run",
          params: { train_start: "2026-10-01T00:00:00Z", train_end: "2026-10-08T12:00:00+02:00" },
        },
      ]);
      await mlflow.run([
        { op: "register", name: "Fraud", run_id: run!.run_id },
        { op: "set_alias", name: "Fraud", alias: "champion", version: "1" },
      ]);
      const reference = await eventually(
        () => evaluation.monitor.getReference("fraud", "1"),
        30_000,
        "the webhook to register fraud version 1",
      );
      expect(reference).toMatchObject({
        kind: "fixed",
        from: Date.parse("2026-10-01T00:00:00Z"),
        to: Date.parse("2026-10-08T10:00:00Z"),
        createdBy: "mlflow",
      });
    });

    it("a redelivered event is harmless; a bad signature or a stale timestamp is refused", async () => {
      const body = JSON.stringify({
        entity: "model_version_alias",
        action: "created",
        timestamp: new Date().toISOString(),
        data: { name: "Fraud", alias: "champion", version: "1" },
      });
      const post = (secret: string, timestamp = Math.floor(Date.now() / 1000)) => {
        const id = randomBytes(8).toString("hex");
        const signature = createHmac("sha256", secret)
          .update(`${id}.${timestamp}.${body}`)
          .digest("base64");
        return fetch(webhookUrl, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-mlflow-delivery-id": id,
            "x-mlflow-timestamp": String(timestamp),
            "x-mlflow-signature": `v1,${signature}`,
          },
          body,
        });
      };
      const redelivered = await post(SECRET);
      expect(redelivered.status).toBe(200);
      const answer = (await redelivered.json()) as { results: { outcome: string }[] };
      expect(["unchanged", "already-registered"]).toContain(answer.results[0]?.outcome);
      expect((await post("not-the-secret-at-all-0000")).status).toBe(401);
      expect((await post(SECRET, Math.floor(Date.now() / 1000) - 3600)).status).toBe(401);
    });

    it("the retrain example ends by registering in MLflow; driftwatch follows without a call", async () => {
      const reference = join(mlflow.dataDir, "train.csv");
      writeFileSync(reference, csvRows(80, 1));
      const printed = await new Promise<string>((resolveRun, reject) => {
        execFile(
          mlflow.install.python,
          [
            EXAMPLE,
            "--registered-model",
            "CreditRisk",
            "--reference",
            reference,
            "--train-from",
            "2026-11-01T00:00:00Z",
            "--train-to",
            "2026-11-08T00:00:00Z",
          ],
          { env: { ...process.env, MLFLOW_TRACKING_URI: mlflow.server.url } },
          (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolveRun(stdout)),
        );
      });
      const version = printed.trim().split("\n").pop()!;
      expect(version).toBe("3");
      // The alias event reaches the webhook route; a poll would find it as well.
      const registered = await eventually(
        () => evaluation.monitor.getReference("credit", version),
        30_000,
        "driftwatch to follow the example's version",
      );
      expect(registered).toMatchObject({ kind: "dataset", rows: 80, createdBy: "mlflow" });
    });
  });

  it("writes the verdict of each evaluation back as tags of the MLflow version", async () => {
    // credit version 2's reference is centered at 5; events centered at 5 do not drift.
    const from = Date.UTC(2026, 10, 1);
    await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  (model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
   missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
   kafka_offset, ingested_at)
  SELECT 'credit', '2', concat('e-', toString(number)), toDateTime(${from / 1000} + number * 60), 0,
    ['x'], [5 + (number * 37 % 100) / 50 - 1], ['y'], [arrayElement(['a', 'b', 'c'], number % 3 + 1)],
    CAST([] AS Array(String)), CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(Float64)),
    CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(Float64)), 'test', 0, number, now()
  FROM numbers(300)`);
    const summaries = await evaluation.monitor.evaluate(
      "credit",
      { name: "test" },
      { from, to: from + DAY },
    );
    expect(summaries[0]?.driftShare).not.toBeNull();
    await evaluation.mlflow!.tags.flush();
    const [version] = await mlflow.run([{ op: "version", name: "CreditRisk", version: "2" }]);
    const tags = version!.tags as Record<string, string>;
    const status = await evaluation.monitor.status("credit");
    expect(tags["driftwatch.status"]).toBe(status.state);
    expect(Number(tags["driftwatch.drift_share"])).toBeCloseTo(summaries[0]!.driftShare!, 4);
  });
});
