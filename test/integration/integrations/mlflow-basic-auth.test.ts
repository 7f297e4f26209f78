// The MLflow integration against MLflow's own basic-auth app (`mlflow server --app-name
// basic-auth`, from mlflow[auth]): credentials from the environment (MLFLOW_TRACKING_USERNAME /
// MLFLOW_TRACKING_PASSWORD, as MLflow's client reads them) reach every request — the alias, the
// run's artifact, the tags written back — and a wrong password fails clearly without retrying.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/index.js";
import { createMlflowIntegration } from "../../../src/integrations/index.js";
import type {
  MonitorOperations,
  ReferenceInfo,
  ReferenceSpec,
} from "../../../src/monitor/index.js";
import { createLogger } from "../../../src/util/index.js";
import { startTestMlflow, type TestMlflow } from "../../support/mlflow.js";

const ADMIN = { user: "admin", password: "driftwatch-Admin-Passw0rd-1" };
const CREDENTIALS = {
  MLFLOW_TRACKING_USERNAME: ADMIN.user,
  MLFLOW_TRACKING_PASSWORD: ADMIN.password,
};
const logger = createLogger("mlflow-auth-test", process.env.DRIFTWATCH_TEST_LOG_LEVEL ?? "error");

/** The monitor's operations, recording what the integration asks (the real ones: mlflow.test.ts). */
function recordingMonitor() {
  const registered: { model: string; version: string; spec: ReferenceSpec | undefined }[] = [];
  const monitor = {
    getReference: async (model: string, version: string) =>
      registered.some((entry) => entry.model === model && entry.version === version)
        ? ({ model, modelVersion: version } as ReferenceInfo)
        : undefined,
    registerVersion: async (model: string, version: string, spec: ReferenceSpec | undefined) => {
      registered.push({ model, version, spec });
      return { model, modelVersion: version };
    },
    status: async (model: string) => ({ model, modelVersion: "1", state: "drifting", reasons: [] }),
  } as unknown as MonitorOperations;
  return { monitor, registered };
}

describe("MLflow with basic authentication (MLflow's basic-auth app)", () => {
  let mlflow: TestMlflow;
  let authDir: string;

  beforeAll(async () => {
    authDir = mkdtempSync(join(tmpdir(), "driftwatch-mlflow-auth-"));
    const ini = join(authDir, "basic_auth.ini");
    writeFileSync(
      ini,
      [
        "[mlflow]",
        "default_permission = READ",
        `database_uri = sqlite:///${join(authDir, "auth.db")}`,
        `admin_username = ${ADMIN.user}`,
        `admin_password = ${ADMIN.password}`,
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
        "",
      ].join("\n"),
    );
    mlflow = await startTestMlflow({
      appName: "basic-auth",
      env: { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: "driftwatch-test-key" },
    });
    const [run] = await mlflow.run(
      [{ op: "log_run", artifacts: { "ref/data.csv": "x,y\n1,a\n2,b\n3,c\n" } }],
      CREDENTIALS,
    );
    await mlflow.run(
      [
        { op: "register", name: "Secured", run_id: run!.run_id },
        { op: "set_alias", name: "Secured", alias: "champion", version: "1" },
      ],
      CREDENTIALS,
    );
  });

  afterAll(async () => {
    await mlflow?.stop();
    if (authDir !== undefined) rmSync(authDir, { recursive: true, force: true });
  });

  const config = () =>
    parseConfig(
      `integrations:
  mlflow:
    trackingUri: ${mlflow.server.url}
    requestTimeout: 30s
    models:
      - model: secured
        registeredModel: Secured
        alias: champion
        reference: {kind: dataset, artifactPath: ref/data.csv}
`,
      { env: {} },
    ).integrations.mlflow!;

  it("uses the credentials from the environment for the alias, the artifact and the tags", async () => {
    const { monitor, registered } = recordingMonitor();
    const integration = createMlflowIntegration({
      config: config(),
      monitor,
      logger,
      env: CREDENTIALS,
    });
    const [result] = await integration.follower.pollOnce();
    expect(result).toMatchObject({ model: "secured", version: "1", outcome: "registered" });
    expect(registered[0]?.spec).toMatchObject({ kind: "dataset" });
    expect((registered[0]?.spec as { readonly rows: readonly unknown[] }).rows).toHaveLength(3);
    integration.tags.evaluated({ model: "secured", modelVersion: "1", driftShare: 0.5 });
    await integration.tags.flush();
    const [version] = await mlflow.run(
      [{ op: "version", name: "Secured", version: "1" }],
      CREDENTIALS,
    );
    expect(version!.tags).toMatchObject({
      "driftwatch.status": "drifting",
      "driftwatch.drift_share": "0.5",
    });
  });

  it("fails clearly, without retries, on a wrong password or none", async () => {
    for (const env of [{ ...CREDENTIALS, MLFLOW_TRACKING_PASSWORD: "wrong" }, {}]) {
      const { monitor, registered } = recordingMonitor();
      const integration = createMlflowIntegration({ config: config(), monitor, logger, env });
      const [result] = await integration.follower.pollOnce();
      expect(result).toMatchObject({ outcome: "failed", retryable: false });
      expect(result!.message).toMatch(/MLflow answered 401/);
      expect(registered).toHaveLength(0);
    }
  });
});
