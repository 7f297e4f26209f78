// What a service role is (ingest, monitor, api): started with the shared process context, it
// reports readiness, can fail fatally and stops gracefully.
import type { DriftwatchConfig } from "../config/index.js";
import type { KafkaClient } from "../kafka/index.js";
import type { Registry } from "../metrics/index.js";
import type { AlertEngine } from "../../alerts/index.js";
import type { MlflowIntegration } from "../integrations/index.js";
import type { Monitor } from "../monitor/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";

/** Shared by every role of one `serve` process. */
export interface ServiceContext {
  readonly config: DriftwatchConfig;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly engine: SqlEngine;
  readonly kafka: KafkaClient;
  /**
   * The process's one monitoring engine (created on first use, on `registry`, with the evaluator
   * election on `kafka`): the monitor role starts and stops its scheduler, the api role only calls
   * its operations. Not started by itself, so an api-only process never schedules evaluations.
   */
  monitor(): Monitor;
  /** The alert engine while it runs in this process (the monitor role, elected), else undefined. */
  alertEngine(): AlertEngine | undefined;
  /** The process's MLflow integration (integrations.mlflow; created with the monitor), if any. */
  mlflow?(): MlflowIntegration | undefined;
  /** Readiness of every role of the process ("" when all are ready), for a role serving /readyz. */
  readonly readiness?: () => string;
}

/** Lifecycle: created running by its RoleStarter; `stop()` once. */
export interface RunningRole {
  readonly name: string;
  /** The HTTP port a role listens on (the api role), if any. */
  readonly port?: number;
  /** Empty when ready, otherwise the reason (for /readyz). */
  readiness(): string;
  /** Called once when the role cannot continue; the service then stops with exit code 1. */
  onFatal(listener: (error: Error) => void): void;
  /** Finish work in hand; resolves true when nothing was left undone. */
  stop(): Promise<boolean>;
}

export type RoleStarter = (context: ServiceContext) => Promise<RunningRole>;
