// Writes driftwatch's verdict back to the MLflow model version it is about, as tags the registry
// UI shows: driftwatch.status (ok, drifting, degraded, unknown) and driftwatch.drift_share.
// Called after each evaluated window; never throws (failures are logged), one write at a time.
import type { MlflowConfig } from "../../config/index.js";
import type { MonitorOperations } from "../../monitor/index.js";
import type { Logger } from "../../util/index.js";
import type { MlflowClient } from "./client.js";

export const STATUS_TAG = "driftwatch.status";
export const DRIFT_SHARE_TAG = "driftwatch.drift_share";

/** One evaluated window, reduced to what the tags say. */
export interface EvaluatedVersion {
  readonly model: string;
  readonly modelVersion: string;
  /** Null when the window could not be judged. */
  readonly driftShare: number | null;
}

export class MlflowTagWriter {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      readonly config: MlflowConfig;
      readonly client: MlflowClient;
      readonly monitor: MonitorOperations;
      readonly logger: Logger;
    },
  ) {}

  /** Queue the tags of an evaluated window (followed models with MLflow version numbers only). */
  evaluated(window: EvaluatedVersion): void {
    if (!this.options.config.writeTags) return;
    if (!/^[1-9][0-9]{0,17}$/.test(window.modelVersion)) return;
    const followed = this.options.config.models.filter((entry) => entry.model === window.model);
    if (followed.length === 0) return;
    this.chain = this.chain.then(async () => {
      for (const entry of followed) await this.write(entry.registeredModel, window);
    });
  }

  /** Resolves once every queued write finished (tests, shutdown). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(registeredModel: string, window: EvaluatedVersion): Promise<void> {
    const { client, monitor, logger } = this.options;
    try {
      const tags: [string, string][] = [];
      const status = await monitor.status(window.model);
      if (status.modelVersion === window.modelVersion) tags.push([STATUS_TAG, status.state]);
      if (window.driftShare !== null && Number.isFinite(window.driftShare)) {
        tags.push([DRIFT_SHARE_TAG, formatShare(window.driftShare)]);
      }
      for (const [key, value] of tags) {
        await client.setVersionTag(registeredModel, window.modelVersion, key, value);
      }
      if (tags.length > 0) {
        logger.debug(
          { model: window.model, modelVersion: window.modelVersion, registeredModel, tags },
          "wrote the verdict to MLflow",
        );
      }
    } catch (error) {
      logger.warn(
        { model: window.model, modelVersion: window.modelVersion, registeredModel, err: error },
        "could not write the verdict to MLflow",
      );
    }
  }
}

/** Up to 4 decimals, no trailing zeros: 0.5, 0.3333, 0. */
export function formatShare(share: number): string {
  return String(Math.round(share * 10_000) / 10_000);
}
