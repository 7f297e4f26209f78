// Follows each configured registered model's alias (or stage): when it points at a version
// driftwatch has no reference for, the version is registered with its reference through the
// monitor's operations. What was registered is derived from the references the monitor holds, so
// a restart, a second instance or a webhook racing a poll never redo or undo work. The poll loop
// runs on the elected evaluator only (src/service starts and stops it); webhooks call
// `followVersion` on whichever instance received them.
import type { MlflowConfig } from "../../config/index.js";
import type { Actor, MonitorOperations } from "../../monitor/index.js";
import type { Logger } from "../../util/index.js";
import type { MlflowClient, MlflowModelVersion } from "./client.js";
import { MlflowError } from "./errors.js";
import { resolveReference, type MlflowModelConfig } from "./reference.js";

/** The actor recorded in driftwatch.audit_log for what the integration registers. */
export const MLFLOW_ACTOR: Actor = { name: "mlflow" };

export type FollowOutcome =
  | "registered" // the version was registered with its reference now
  | "already-registered" // driftwatch holds a reference for it already
  | "unchanged" // the alias still points at the version handled last
  | "not-set" // the alias or stage points at no version
  | "failed";

export interface FollowResult {
  readonly model: string;
  readonly registeredModel: string;
  readonly version?: string;
  readonly outcome: FollowOutcome;
  readonly message?: string;
  /** Failed on something that may pass later (MLflow or ClickHouse unreachable). */
  readonly retryable?: boolean;
}

export interface MlflowFollowerOptions {
  readonly config: MlflowConfig;
  readonly client: MlflowClient;
  readonly monitor: MonitorOperations;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
}

export class MlflowFollower {
  /** Per driftwatch model: the version handled last (a cache; the references are the record). */
  private readonly handled = new Map<string, string>();
  /** Per driftwatch model: the work in hand, so a poll and a webhook never run side by side. */
  private readonly queues = new Map<string, Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private pass: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: MlflowFollowerOptions) {}

  /** Start polling (when enabled): a pass now, then one every interval. Idempotent. */
  start(): void {
    if (this.running || !this.options.config.polling.enabled) return;
    this.running = true;
    this.options.logger.info(
      { models: this.options.config.models.length, intervalMs: this.options.pollIntervalMs },
      "following MLflow registered models",
    );
    const loop = (): void => {
      if (!this.running) return;
      this.pass = this.pollOnce().finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.options.pollIntervalMs);
      });
    };
    loop();
  }

  /** Stop polling; resolves once the pass in hand finished. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.pass;
  }

  /** One pass over every followed model. Never throws: failures are logged and returned. */
  async pollOnce(): Promise<FollowResult[]> {
    const results: FollowResult[] = [];
    for (const followed of this.options.config.models) {
      results.push(await this.poll(followed));
    }
    return results;
  }

  /**
   * A version the registry says a followed alias now points at (a webhook): registered when it
   * is new to driftwatch. Models following `registeredModel`'s `alias` only.
   */
  async aliasMoved(
    registeredModel: string,
    alias: string,
    version: string,
  ): Promise<FollowResult[]> {
    const matching = this.options.config.models.filter(
      (followed) => followed.registeredModel === registeredModel && followed.alias === alias,
    );
    const results: FollowResult[] = [];
    for (const followed of matching) results.push(await this.follow(followed, version));
    return results;
  }

  private async poll(followed: MlflowModelConfig): Promise<FollowResult> {
    const { client } = this.options;
    let current: MlflowModelVersion | undefined;
    try {
      current =
        followed.alias !== undefined
          ? await client.aliasVersion(followed.registeredModel, followed.alias)
          : await client.stageVersion(followed.registeredModel, followed.stage ?? "Production");
    } catch (error) {
      return this.failed(followed, undefined, error);
    }
    if (current === undefined) {
      return {
        model: followed.model,
        registeredModel: followed.registeredModel,
        outcome: "not-set",
      };
    }
    return this.follow(followed, current.version, current);
  }

  /** Register `version` unless driftwatch has it already; serialized per driftwatch model. */
  private follow(
    followed: MlflowModelConfig,
    version: string,
    known?: MlflowModelVersion,
  ): Promise<FollowResult> {
    const previous = this.queues.get(followed.model) ?? Promise.resolve();
    const next = previous.then(() => this.register(followed, version, known));
    const settled = next.catch(() => undefined);
    this.queues.set(followed.model, settled);
    void settled.then(() => {
      if (this.queues.get(followed.model) === settled) this.queues.delete(followed.model);
    });
    return next;
  }

  private async register(
    followed: MlflowModelConfig,
    version: string,
    known?: MlflowModelVersion,
  ): Promise<FollowResult> {
    const { monitor, client, logger } = this.options;
    const base = { model: followed.model, registeredModel: followed.registeredModel, version };
    if (this.handled.get(followed.model) === version) return { ...base, outcome: "unchanged" };
    try {
      if ((await monitor.getReference(followed.model, version)) !== undefined) {
        this.handled.set(followed.model, version);
        return { ...base, outcome: "already-registered" };
      }
      const modelVersion = known ?? (await client.modelVersion(followed.registeredModel, version));
      const reference = await resolveReference(client, followed, modelVersion);
      const registered = await monitor.registerVersion(
        followed.model,
        version,
        reference,
        MLFLOW_ACTOR,
      );
      this.handled.set(followed.model, version);
      logger.info(
        {
          model: followed.model,
          modelVersion: version,
          registeredModel: followed.registeredModel,
          reference: registered.reference?.kind,
          rows: registered.reference?.rows,
        },
        "registered the MLflow model version",
      );
      return { ...base, outcome: "registered" };
    } catch (error) {
      return this.failed(followed, version, error);
    }
  }

  private failed(
    followed: MlflowModelConfig,
    version: string | undefined,
    error: unknown,
  ): FollowResult {
    const message = (error as Error).message;
    const retryable =
      error instanceof MlflowError
        ? error.retryable
        : (error as { retryable?: unknown }).retryable === true;
    this.options.logger.error(
      {
        model: followed.model,
        registeredModel: followed.registeredModel,
        ...(version !== undefined ? { modelVersion: version } : {}),
        err: error,
      },
      "could not follow the MLflow model version",
    );
    return {
      model: followed.model,
      registeredModel: followed.registeredModel,
      ...(version !== undefined ? { version } : {}),
      outcome: "failed",
      message,
      retryable,
    };
  }
}
