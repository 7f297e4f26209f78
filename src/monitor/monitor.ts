// The monitoring engine: implements MonitorOperations (API/CLI) and runs the scheduler loop —
// on each tick every monitored model's due windows are evaluated in time order, results go to
// ClickHouse, Prometheus and (when alerts are enabled) the AlertEngine. The loop never throws:
// failures are logged and counted and the window is retried on the next tick.
import { AlertEngine } from "../../alerts/index.js";
import type { DriftwatchConfig } from "../config/index.js";
import type { KafkaClient } from "../kafka/types.js";
import type { Registry } from "../metrics/registry.js";
import { tableRef } from "../store/database.js";
import type { SqlEngine } from "../store/engine.js";
import { sql } from "../store/sql.js";
import type { Logger } from "../util/logger.js";
import { listModels } from "./model-list.js";
import { modelSettings, parseDuration, type ModelSettings } from "./model-settings.js";
import { readModelStatus } from "./model-status.js";
import { MonitorMetrics } from "./monitor-metrics.js";
import type {
  Actor,
  EvaluationSummary,
  ModelStatus,
  ModelSummary,
  MonitorOperations,
  ReferenceInfo,
  ReferenceSpec,
} from "./operations.js";
import { ReferenceProfiles } from "./reference-profile.js";
import { MonitorInputError, ReferenceStore, type ReferenceDefinition } from "./reference-store.js";
import { EvaluatorElection } from "./evaluator-election.js";
import { HealthReporter } from "./health-reporter.js";
import { evaluateWindow, type WindowEvaluation } from "./window-evaluator.js";
import { planWindows, type DueWindow, type LabelWatch } from "./window-plan.js";

const MODEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const VERSION_MAX = 128;

export interface MonitorOptions {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly registry: Registry;
  readonly logger: Logger;
  /** For the evaluator election on the control topic (without it this instance always evaluates). */
  readonly kafka?: KafkaClient;
  /** Kafka session timeout of the election (default: monitor.electionSessionTimeout). */
  readonly electionSessionTimeoutMs?: number;
  /** Scheduler period (default: monitor.tickInterval). */
  readonly tickMs?: number;
  /** Clock (epoch ms); tests pass their own. */
  readonly now?: () => number;
  /** Feed results to an AlertEngine (default: config.alerts.enabled). */
  readonly alerts?: boolean;
}

export interface Monitor extends MonitorOperations {
  /** Start the scheduler loop (and the alert engine). */
  start(): Promise<void>;
  /** Stop the loop, finish the tick in hand, stop the alert engine. Idempotent. */
  stop(): Promise<void>;
  /** Run one scheduler pass now over every monitored model; resolves with what was evaluated. */
  tick(): Promise<EvaluationSummary[]>;
  /** Empty when healthy, else why not (for /readyz). */
  readiness(): string;
  /** Whether this instance currently evaluates (the elected owner of the control partition). */
  isEvaluator(): boolean;
}

export function createMonitor(options: MonitorOptions): Monitor {
  return new MonitorEngine(options);
}

class MonitorEngine implements Monitor {
  private readonly engine: SqlEngine;
  private readonly database: string;
  private readonly logger: Logger;
  private readonly references: ReferenceStore;
  private readonly profiles: ReferenceProfiles;
  private readonly metrics: MonitorMetrics;
  private readonly now: () => number;
  private alertEngine: AlertEngine | undefined;
  private election: EvaluatorElection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private lastError = "";
  /** How far each model's labels were read by the scheduler (window-plan.ts). */
  private readonly labelWatch: LabelWatch = new Map();
  /** Serialises evaluations so a manual evaluate and a tick never race on the same window. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly health: HealthReporter;
  /** The models of the last successful listing (health is reported even when listing fails). */
  private knownModels: string[] = [];

  constructor(private readonly options: MonitorOptions) {
    this.engine = options.engine;
    this.database = options.config.clickhouse.database;
    this.logger = options.logger.child({ component: "monitor" });
    this.references = new ReferenceStore(this.engine, this.database);
    this.profiles = new ReferenceProfiles(this.engine, this.database);
    this.metrics = new MonitorMetrics(options.registry, () => !this.stopped && this.isEvaluator());
    this.now = options.now ?? Date.now;
    this.health = new HealthReporter({
      config: options.config,
      engine: this.engine,
      registry: options.registry,
      logger: this.logger,
      ...(options.kafka !== undefined ? { kafka: options.kafka } : {}),
      now: this.now,
      alertEngine: () => this.alertEngine,
      tickMs: options.tickMs ?? parseDuration(options.config.monitor.tickInterval),
    });
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const { monitor } = this.options.config;
    const tickMs = this.options.tickMs ?? parseDuration(monitor.tickInterval);
    const loop = () => {
      this.timer = undefined;
      if (this.stopped) return;
      this.running = this.scheduledTick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, tickMs);
      });
    };
    if (this.options.kafka !== undefined) {
      const { kafka } = this.options.config;
      this.election = new EvaluatorElection({
        kafka: this.options.kafka,
        topic: kafka.topics.control,
        groupId: `${kafka.groupId}-evaluator`,
        replicationFactor: kafka.replicationFactor,
        logger: this.logger,
        sessionTimeoutMs:
          this.options.electionSessionTimeoutMs ?? parseDuration(monitor.electionSessionTimeout),
        // A newly elected evaluator starts a pass at once instead of waiting out the tick.
        onElected: () => {
          if (this.timer === undefined) return; // a pass is running (or the loop has not begun)
          clearTimeout(this.timer);
          loop();
        },
      });
      await this.election.start();
    }
    loop();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
    await this.queue.catch(() => undefined);
    await this.election?.stop();
    this.election = undefined;
    await this.stopAlerts();
    await this.health.stop();
  }

  readiness(): string {
    return this.election?.problem() || this.lastError;
  }

  /** Whether this instance evaluates (always, without an election). */
  isEvaluator(): boolean {
    return this.election === undefined || this.election.isLeader();
  }

  /** One loop pass: evaluate only while elected; the alert engine runs on the evaluator only. */
  private async scheduledTick(): Promise<void> {
    try {
      if (!this.isEvaluator()) {
        await this.stopAlerts();
        return;
      }
      if (
        this.alertEngine === undefined &&
        (this.options.alerts ?? this.options.config.alerts.enabled)
      ) {
        const alertEngine = new AlertEngine({
          config: this.options.config.alerts,
          store: { engine: this.engine, database: this.database },
          logger: this.logger,
          registry: this.options.registry,
        });
        await alertEngine.start();
        this.alertEngine = alertEngine;
      }
      await this.tick();
      this.health.passCompleted();
    } catch (error) {
      this.fail("scheduler pass failed", error, undefined);
    }
    if (this.isEvaluator()) await this.health.report(this.knownModels);
  }

  private async stopAlerts(): Promise<void> {
    const alertEngine = this.alertEngine;
    this.alertEngine = undefined;
    await alertEngine?.stop();
  }

  async tick(): Promise<EvaluationSummary[]> {
    const summaries: EvaluationSummary[] = [];
    let models: string[];
    try {
      models = await this.monitoredModels();
      this.knownModels = models;
    } catch (error) {
      this.fail("listing models failed", error, undefined);
      return summaries;
    }
    for (const model of models) {
      if (this.stopped && this.timer !== undefined) break;
      summaries.push(...(await this.evaluateDue(model)));
    }
    return summaries;
  }

  // ---- MonitorOperations -------------------------------------------------------------------

  listModels(): Promise<ModelSummary[]> {
    return listModels(this.engine, this.database, this.options.config.models);
  }

  async getModel(model: string): Promise<ModelSummary | undefined> {
    checkModelName(model);
    return (await this.listModels()).find((summary) => summary.model === model);
  }

  async setReference(
    model: string,
    modelVersion: string,
    spec: ReferenceSpec,
    actor: Actor,
  ): Promise<ReferenceInfo> {
    checkModelName(model);
    checkVersion(modelVersion);
    const definition = await this.references.set(model, modelVersion, spec, actor.name, this.now());
    await this.audit(actor, "reference.set", `${model}@${modelVersion}`, {
      kind: definition.kind,
      rows: definition.rows,
      from: definition.from,
      to: definition.to,
      days: definition.days,
    });
    return publicInfo(definition);
  }

  async getReference(model: string, modelVersion: string): Promise<ReferenceInfo | undefined> {
    checkModelName(model);
    checkVersion(modelVersion);
    const definition = await this.references.get(model, modelVersion);
    return definition === undefined ? undefined : publicInfo(definition);
  }

  async registerVersion(
    model: string,
    modelVersion: string,
    reference: ReferenceSpec | undefined,
    actor: Actor,
  ): Promise<{ model: string; modelVersion: string; reference?: ReferenceInfo }> {
    checkModelName(model);
    checkVersion(modelVersion);
    await this.audit(actor, "version.register", `${model}@${modelVersion}`, {
      reference: reference?.kind ?? null,
    });
    if (reference === undefined) return { model, modelVersion };
    return {
      model,
      modelVersion,
      reference: await this.setReference(model, modelVersion, reference, actor),
    };
  }

  async status(model: string): Promise<ModelStatus> {
    checkModelName(model);
    return readModelStatus(this.engine, this.database, model);
  }

  async evaluate(
    model: string,
    actor: Actor,
    window?: { readonly from: number; readonly to: number },
  ): Promise<EvaluationSummary[]> {
    checkModelName(model);
    if (window !== undefined && !(window.from < window.to)) {
      throw new MonitorInputError("window.from", "must be before window.to");
    }
    await this.audit(actor, "evaluate", model, window ?? {});
    if (window === undefined) return this.evaluateDue(model, true);
    const versions = await this.engine.query<{ model_version: string }>(
      sql`SELECT DISTINCT model_version FROM ${tableRef(this.database, "predictions")}
  WHERE model = ${model} AND ts >= toDateTime(${Math.floor(window.from / 1000)})
    AND ts < toDateTime(${Math.floor(window.to / 1000)}) ORDER BY model_version`,
    );
    const settings = modelSettings(this.options.config.models, model);
    const due: DueWindow[] = versions.map((row) => ({
      key: {
        model,
        modelVersion: row.model_version,
        windowStart: window.from,
        windowEnd: window.to,
      },
      performance: true,
      why: "new",
    }));
    const summaries: EvaluationSummary[] = [];
    for (const item of due) {
      const evaluation = await this.serialised(() => this.runWindow(settings, item, true));
      summaries.push(evaluation.summary);
    }
    return summaries;
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Declared models plus models with a reference set through the API/CLI. */
  private async monitoredModels(): Promise<string[]> {
    const names = new Set(this.options.config.models.map((model) => model.name));
    for (const model of await this.references.modelsWithReferences()) names.add(model);
    return [...names].sort();
  }

  private async evaluateDue(model: string, rethrow = false): Promise<EvaluationSummary[]> {
    const summaries: EvaluationSummary[] = [];
    try {
      const settings = modelSettings(this.options.config.models, model);
      const due = await planWindows(
        this.engine,
        this.database,
        model,
        settings,
        this.now(),
        this.labelWatch,
      );
      for (let index = 0; index < due.length; index++) {
        // A scheduled pass stops as soon as this instance loses the evaluator role (another
        // instance joined and won it), so the two evaluate the same window only if the role
        // moves in the middle of one window's evaluation.
        if (!rethrow && !this.isEvaluator()) break;
        const item = due[index]!;
        const latest = due
          .slice(index + 1)
          .every((later) => later.key.windowStart === item.key.windowStart);
        const evaluation = await this.serialised(() => this.runWindow(settings, item, latest));
        summaries.push(evaluation.summary);
      }
      this.lastError = "";
      this.health.evaluated(model);
    } catch (error) {
      this.health.failed(model);
      this.fail(`evaluating model ${model} failed`, error, model);
      if (rethrow) throw error;
    }
    return summaries;
  }

  private async runWindow(
    settings: ModelSettings,
    item: DueWindow,
    latest: boolean,
  ): Promise<WindowEvaluation> {
    const evaluation = await evaluateWindow(
      {
        engine: this.engine,
        database: this.database,
        references: this.references,
        profiles: this.profiles,
        logger: this.logger,
        now: this.now,
      },
      settings,
      item.key,
      { performance: item.performance },
    );
    this.metrics.record(evaluation, settings.config.metricsFeatureCap, latest, this.now());
    this.logger.info(
      {
        ...evaluation.summary,
        why: item.why,
        path: evaluation.drift?.path,
        seconds: evaluation.durationSeconds,
      },
      "window evaluated",
    );
    if (this.alertEngine !== undefined && evaluation.observations.length > 0) {
      try {
        this.alertEngine.processBatch({
          model: item.key.model,
          modelVersion: item.key.modelVersion,
          windowStart: item.key.windowStart,
          windowEnd: item.key.windowEnd,
          observations: evaluation.observations,
        });
      } catch (error) {
        this.logger.error({ err: error, model: item.key.model }, "alert engine rejected a batch");
      }
    }
    return evaluation;
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private fail(message: string, error: unknown, model: string | undefined): void {
    this.lastError = `${message}: ${(error as Error).message}`;
    if (model !== undefined) this.metrics.failures.inc({ model });
    this.logger.error({ err: error, model }, message);
  }

  private async audit(actor: Actor, action: string, target: string, detail: object): Promise<void> {
    await this.engine.insert(`${this.database}.audit_log`, [
      {
        ts: Math.floor(this.now() / 1000),
        actor: actor.name,
        action,
        target,
        detail: JSON.stringify(detail),
      },
    ]);
  }
}

function checkModelName(model: string): void {
  if (!MODEL_NAME.test(model))
    throw new MonitorInputError("model", "must match [A-Za-z0-9_.-]{1,64}");
}

function checkVersion(modelVersion: string): void {
  if (modelVersion.length === 0 || modelVersion.length > VERSION_MAX) {
    throw new MonitorInputError("modelVersion", `must be 1 to ${VERSION_MAX} characters`);
  }
}

function publicInfo(definition: ReferenceDefinition): ReferenceInfo {
  const { referenceId: _id, ...info } = definition;
  void _id;
  return info;
}
