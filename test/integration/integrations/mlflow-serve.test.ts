// The MLflow integration as `driftwatch serve` wires it (built CLI, real Kafka, ClickHouse and
// MLflow): the elected evaluator polls the alias and registers the version with its reference,
// and the API serves the webhook route, refusing unsigned deliveries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { createMonitorOperations } from "../../../src/monitor/index.js";
import { createLogger } from "../../../src/util/index.js";
import { eventually, startTestMlflow, type TestMlflow } from "../../support/mlflow.js";
import {
  createServeTestEnv,
  killServeChildren,
  startServe,
  type ServeChild,
  type ServeTestEnv,
} from "../../support/serve.js";

describe("driftwatch serve with integrations.mlflow", () => {
  /** On failure, what serve logged about MLflow and the election. */
  const withServeLog = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (error) {
      const lines = serve
        .stderr()
        .split("\n")
        .filter((line) => /mlflow|evaluator|elect|error/i.test(line))
        .slice(-20);
      throw new Error(`${(error as Error).message}\nserve log:\n${lines.join("\n")}`, {
        cause: error,
      });
    }
  };
  let mlflow: TestMlflow;
  let env: ServeTestEnv;
  let serve: ServeChild;
  const operations = () =>
    createMonitorOperations({
      config: parseConfig(`clickhouse: { database: ${env.database} }`, { env: {} }),
      engine: env.engine,
      logger: createLogger("mlflow-serve-test", "silent"),
    });

  beforeAll(async () => {
    mlflow = await startTestMlflow();
    env = await createServeTestEnv("mlflowserve");
    const config = env.writeConfig(`integrations:
  mlflow:
    trackingUri: ${mlflow.server.url}
    polling: { interval: 1s }
    webhook:
      secret: serve-test-webhook-secret-0123
    models:
      - model: credit
        registeredModel: ServeCredit
        alias: champion
        reference: { kind: dataset, artifactPath: ref/train.csv }
`);
    serve = await startServe(config);
  });

  afterAll(async () => {
    await killServeChildren();
    await env?.cleanup();
    await mlflow?.stop();
  });

  it("registers the version the alias moved to, with no call to driftwatch", async () => {
    const [run] = await mlflow.run([
      { op: "log_run", artifacts: { "ref/train.csv": "x,c\n1,a\n2,b\n3,a\n4,b\n" } },
    ]);
    await mlflow.run([
      { op: "register", name: "ServeCredit", run_id: run!.run_id },
      { op: "set_alias", name: "ServeCredit", alias: "champion", version: "1" },
    ]);
    const reference = await withServeLog(
      eventually(
        // Read back with the monitor's own operations on the same database.
        () => operations().getReference("credit", "1"),
        60_000,
        "serve to register credit version 1",
      ),
    );
    expect(reference).toMatchObject({ kind: "dataset", rows: 4, createdBy: "mlflow" });
  });

  it("serves the webhook route without a bearer token, refusing an unsigned delivery", async () => {
    const answer = await fetch(`${serve.url}/api/v1/integrations/mlflow/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entity: "model_version_alias", action: "created", data: {} }),
    });
    expect(answer.status).toBe(401);
    // Public to bearer auth (auth is on here): refused for its missing MLflow signature.
    expect(await answer.json()).toMatchObject({
      error: {
        code: "DW_ERR_UNAUTHENTICATED",
        message: "MLflow webhook refused: the x-mlflow-signature header is missing",
      },
    });
  });
});
