// The evaluation side of one process: the monitor (its operations for the API, its scheduler for
// the monitor role) and the alert engine, which runs while this instance is the elected evaluator
// and takes every evaluated window and the self-health of each tick. The API reaches the same
// engine (silences at once, retrains through its service) while it runs here. With
// integrations.mlflow, the MLflow follower polls while this instance evaluates (one instance
// registers versions), and every evaluated window's verdict is written back as version tags.
import { AlertEngine, type ResultBatch } from "../../alerts/index.js";
import { DRIFT_SHARE_METRIC } from "../../detectors/index.js";
import { createMlflowIntegration, type MlflowIntegration } from "../integrations/index.js";
import { createMonitor, type Monitor, type MonitorOptions } from "../monitor/index.js";

/** The monitor's options; the evaluation wires its sink and role hook itself. */
export type EvaluationOptions = Omit<MonitorOptions, "sink" | "onRole">;

export interface Evaluation {
  readonly monitor: Monitor;
  /** The MLflow integration when integrations.mlflow is configured. */
  readonly mlflow: MlflowIntegration | undefined;
  /** The alert engine while it runs in this process (this instance evaluates), else undefined. */
  alertEngine(): AlertEngine | undefined;
}

export function createEvaluation(options: EvaluationOptions): Evaluation {
  const { config, logger } = options;
  let alertEngine: AlertEngine | undefined;

  const startAlerts = async (): Promise<void> => {
    if (alertEngine !== undefined || !config.alerts.enabled) return;
    const created = new AlertEngine({
      config: config.alerts,
      store: { engine: options.engine, database: config.clickhouse.database },
      logger,
      registry: options.registry,
    });
    await created.start();
    alertEngine = created;
  };
  const stopAlerts = async (): Promise<void> => {
    const running = alertEngine;
    alertEngine = undefined;
    await running?.stop();
  };

  let mlflow: MlflowIntegration | undefined;
  const monitor = createMonitor({
    ...options,
    sink: {
      window: (batch) => {
        mlflow?.tags.evaluated(evaluatedVersion(batch));
        return alertEngine?.processBatch(batch);
      },
      health: (batches) => {
        for (const batch of batches) alertEngine?.processBatch(batch);
      },
      notificationFailures: (now) => alertEngine?.notificationFailures(now) ?? 0,
    },
    // The alert engine runs on the evaluator only: started before its first pass, stopped when
    // the role moves away or the scheduler stops.
    // So does the MLflow follower's poll loop: one instance registers the versions.
    onRole: async (evaluator) => {
      if (evaluator) {
        mlflow?.follower.start();
        return startAlerts();
      }
      await mlflow?.follower.stop();
      return stopAlerts();
    },
  });
  const mlflowConfig = config.integrations.mlflow;
  if (mlflowConfig !== undefined) {
    mlflow = createMlflowIntegration({ config: mlflowConfig, monitor, logger, env: process.env });
  }
  return { monitor, mlflow, alertEngine: () => alertEngine };
}

/** The model version and drift share of one evaluated window (for the MLflow tags). */
function evaluatedVersion(batch: ResultBatch): {
  model: string;
  modelVersion: string;
  driftShare: number | null;
} {
  const share = batch.observations.find((observation) => observation.kind === DRIFT_SHARE_METRIC);
  return {
    model: batch.model,
    modelVersion: batch.modelVersion ?? "",
    driftShare: share === undefined || !Number.isFinite(share.value) ? null : share.value,
  };
}
