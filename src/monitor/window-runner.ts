// Evaluating windows, for the scheduler and for the operations alike: one queue per process (a
// manual evaluation and a scheduled pass never race on the same window), each evaluated window
// recorded in ClickHouse (by the evaluator), its gauges set and its results emitted to the sink.
import type { DriftwatchConfig } from "../config/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";
import type { EvaluationSink } from "./evaluation-sink.js";
import { modelSettings, type ModelSettings } from "./model-settings.js";
import type { MonitorMetrics } from "./monitor-metrics.js";
import type { EvaluationSummary } from "./operations.js";
import type { ReferenceProfiles } from "./reference-profile.js";
import type { ReferenceStore } from "./reference-store.js";
import { evaluateWindow, type WindowEvaluation } from "./window-evaluator.js";
import { planWindows, type DueWindow, type LabelWatch } from "./window-plan.js";

export interface WindowRunnerOptions {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly references: ReferenceStore;
  readonly profiles: ReferenceProfiles;
  readonly metrics: MonitorMetrics;
  readonly sink: EvaluationSink;
  readonly logger: Logger;
  readonly now: () => number;
}

/** How a pass over one model's due windows ended (for self-health). */
export interface PassObserver {
  evaluated(model: string): void;
  failed(model: string): void;
}

export class WindowRunner {
  private readonly database: string;
  /** How far each model's labels were read by the planner (window-plan.ts). */
  private readonly labelWatch: LabelWatch = new Map();
  private queue: Promise<unknown> = Promise.resolve();
  /** The last failure of a pass, "" after a good one (readiness). */
  lastError = "";
  /** Told how each pass over a model ended (the scheduler's self-health). */
  observer?: PassObserver;

  constructor(private readonly options: WindowRunnerOptions) {
    this.database = options.config.clickhouse.database;
  }

  /**
   * Evaluate every due window of `model` in time order. `keepGoing` is asked before each window
   * (a scheduled pass stops once this instance loses the evaluator role). Failures are logged and
   * counted; with `rethrow` (a request through the API or CLI) they also reach the caller.
   */
  async evaluateDue(
    model: string,
    options: { readonly rethrow?: boolean; readonly keepGoing?: () => boolean } = {},
  ): Promise<EvaluationSummary[]> {
    const summaries: EvaluationSummary[] = [];
    try {
      const settings = modelSettings(this.options.config.models, model);
      const due = await planWindows(
        this.options.engine,
        this.database,
        model,
        settings,
        this.options.now(),
        this.labelWatch,
      );
      for (let index = 0; index < due.length; index++) {
        // A scheduled pass stops as soon as this instance loses the evaluator role (another
        // instance joined and won it), so the two evaluate the same window only if the role
        // moves in the middle of one window's evaluation.
        if (options.keepGoing !== undefined && !options.keepGoing()) break;
        const item = due[index]!;
        const latest = due
          .slice(index + 1)
          .every((later) => later.key.windowStart === item.key.windowStart);
        const evaluation = await this.run(settings, item, latest);
        summaries.push(evaluation.summary);
      }
      this.lastError = "";
      this.observer?.evaluated(model);
    } catch (error) {
      this.observer?.failed(model);
      this.fail(`evaluating model ${model} failed`, error, model);
      if (options.rethrow === true) throw error;
    }
    return summaries;
  }

  /** Evaluate one window (queued behind any evaluation in progress). */
  run(settings: ModelSettings, item: DueWindow, latest: boolean): Promise<WindowEvaluation> {
    const work = () => this.evaluate(settings, item, latest);
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once no evaluation is queued or running. */
  async idle(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** Log and count a failure (the scheduler's own failures too). */
  fail(message: string, error: unknown, model: string | undefined): void {
    this.lastError = `${message}: ${(error as Error).message}`;
    if (model !== undefined) this.options.metrics.failures.inc({ model });
    this.options.logger.error({ err: error, model }, message);
  }

  private async evaluate(
    settings: ModelSettings,
    item: DueWindow,
    latest: boolean,
  ): Promise<WindowEvaluation> {
    const { options } = this;
    const evaluation = await evaluateWindow(
      {
        engine: options.engine,
        database: this.database,
        references: options.references,
        profiles: options.profiles,
        logger: options.logger,
        now: options.now,
      },
      settings,
      item.key,
      { performance: item.performance },
    );
    options.metrics.record(evaluation, settings.config.metricsFeatureCap, latest, options.now());
    options.logger.info(
      {
        ...evaluation.summary,
        why: item.why,
        path: evaluation.drift?.path,
        seconds: evaluation.durationSeconds,
      },
      "window evaluated",
    );
    if (evaluation.observations.length > 0) {
      try {
        options.sink.window({
          model: item.key.model,
          modelVersion: item.key.modelVersion,
          windowStart: item.key.windowStart,
          windowEnd: item.key.windowEnd,
          observations: evaluation.observations,
        });
      } catch (error) {
        options.logger.error(
          { err: error, model: item.key.model },
          "a window's results were refused",
        );
      }
    }
    return evaluation;
  }
}
