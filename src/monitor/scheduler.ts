// The monitor's scheduler: on each tick, while this instance is the elected evaluator (the owner
// of the control topic's partition), every monitored model's due windows are evaluated in time
// order through the window runner, which emits each evaluated window to the sink; then the tick's
// self-health is reported. The loop never throws: failures are logged and counted and the window
// is retried on the next tick.
import type { DriftwatchConfig } from "../config/index.js";
import type { KafkaClient } from "../kafka/index.js";
import type { Registry } from "../metrics/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";
import type { EvaluationSink } from "./evaluation-sink.js";
import { EvaluatorElection } from "./evaluator-election.js";
import { HealthReporter } from "./health-reporter.js";
import { parseDuration } from "./model-settings.js";
import type { EvaluationSummary } from "./operations.js";
import type { ReferenceStore } from "./reference-store.js";
import type { WindowRunner } from "./window-runner.js";

export interface SchedulerOptions {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly registry: Registry;
  readonly logger: Logger;
  readonly references: ReferenceStore;
  readonly runner: WindowRunner;
  readonly sink: EvaluationSink;
  /** For the evaluator election (without it this instance always evaluates) and ingest lag. */
  readonly kafka?: KafkaClient;
  readonly electionSessionTimeoutMs?: number;
  readonly tickMs?: number;
  readonly now: () => number;
  /**
   * Called before each scheduled pass with whether this instance evaluates now (the service
   * starts or stops what runs on the evaluator only, e.g. the alert engine); and after stop().
   */
  readonly onRole?: (evaluator: boolean) => Promise<void>;
}

export class Scheduler {
  private election: EvaluatorElection | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = true;
  private readonly health: HealthReporter;
  private readonly tickMs: number;
  /** The models of the last successful listing (health is reported even when listing fails). */
  private knownModels: string[] = [];

  constructor(private readonly options: SchedulerOptions) {
    this.tickMs = options.tickMs ?? parseDuration(options.config.monitor.tickInterval);
    this.health = new HealthReporter({
      config: options.config,
      engine: options.engine,
      registry: options.registry,
      logger: options.logger,
      ...(options.kafka !== undefined ? { kafka: options.kafka } : {}),
      now: options.now,
      sink: options.sink,
      tickMs: this.tickMs,
    });
    options.runner.observer = {
      evaluated: (model) => this.health.evaluated(model),
      failed: (model) => this.health.failed(model),
    };
  }

  /** Whether the loop runs. */
  get isRunning(): boolean {
    return !this.stopped;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = () => {
      this.timer = undefined;
      if (this.stopped) return;
      this.running = this.scheduledTick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(loop, this.tickMs);
      });
    };
    if (this.options.kafka !== undefined) {
      const { kafka, monitor } = this.options.config;
      this.election = new EvaluatorElection({
        kafka: this.options.kafka,
        topic: kafka.topics.control,
        groupId: `${kafka.groupId}-evaluator`,
        replicationFactor: kafka.replicationFactor,
        logger: this.options.logger,
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

  /** Stop the loop, finish the tick in hand, leave the election. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running.catch(() => undefined);
    await this.options.runner.idle();
    await this.election?.stop();
    this.election = undefined;
    await this.options.onRole?.(false);
    await this.health.stop();
  }

  readiness(): string {
    return this.election?.problem() || this.options.runner.lastError;
  }

  /** Whether this instance evaluates (always, without an election). */
  isEvaluator(): boolean {
    return this.election === undefined || this.election.isLeader();
  }

  /** One pass over every monitored model now; resolves with what was evaluated. */
  async tick(): Promise<EvaluationSummary[]> {
    const summaries: EvaluationSummary[] = [];
    let models: string[];
    try {
      models = await this.monitoredModels();
      this.knownModels = models;
    } catch (error) {
      this.options.runner.fail("listing models failed", error, undefined);
      return summaries;
    }
    for (const model of models) {
      if (this.stopped && this.timer !== undefined) break;
      summaries.push(
        ...(await this.options.runner.evaluateDue(model, { keepGoing: () => this.isEvaluator() })),
      );
    }
    return summaries;
  }

  /** One loop pass: evaluate only while elected. */
  private async scheduledTick(): Promise<void> {
    const evaluator = this.isEvaluator();
    try {
      await this.options.onRole?.(evaluator);
      if (!evaluator) return;
      await this.tick();
      this.health.passCompleted();
    } catch (error) {
      this.options.runner.fail("scheduler pass failed", error, undefined);
    }
    if (this.isEvaluator()) await this.health.report(this.knownModels);
  }

  /** Declared models plus models with a reference set through the API/CLI. */
  private async monitoredModels(): Promise<string[]> {
    const names = new Set(this.options.config.models.map((model) => model.name));
    for (const model of await this.options.references.modelsWithReferences()) names.add(model);
    return [...names].sort();
  }
}
