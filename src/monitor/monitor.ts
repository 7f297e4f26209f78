// The monitoring engine of one process: its operations (MonitorOperations, what the API and the
// CLI ask) and its scheduler (the elected evaluator's loop), sharing one window runner — one
// evaluation queue, one set of gauges. Evaluated windows and self-health go to the sink the
// process wires (src/service feeds the alert engine); the monitor itself knows no alert engine.
import type { DriftwatchConfig } from "../config/index.js";
import type { KafkaClient } from "../kafka/index.js";
import { Registry } from "prom-client";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";
import { NO_SINK, type EvaluationSink } from "./evaluation-sink.js";
import { MonitorMetrics } from "./monitor-metrics.js";
import { MonitorOperationsService } from "./monitor-operations.js";
import type { EvaluationSummary, MonitorOperations } from "./operations.js";
import { ReferenceProfiles } from "./reference-profile.js";
import { ReferenceStore } from "./reference-store.js";
import { Scheduler } from "./scheduler.js";
import { WindowRunner } from "./window-runner.js";

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
  /** Where evaluated windows and self-health go (default: nowhere). */
  readonly sink?: EvaluationSink;
  /** Told before each scheduled pass whether this instance evaluates, and false on stop(). */
  readonly onRole?: (evaluator: boolean) => Promise<void>;
}

export interface Monitor extends MonitorOperations {
  /** Start the scheduler loop. */
  start(): Promise<void>;
  /** Stop the loop, finish the tick in hand. Idempotent. */
  stop(): Promise<void>;
  /** Run one scheduler pass now over every monitored model; resolves with what was evaluated. */
  tick(): Promise<EvaluationSummary[]>;
  /** Empty when healthy, else why not (for /readyz). */
  readiness(): string;
  /** Whether this instance currently evaluates (the elected owner of the control partition). */
  isEvaluator(): boolean;
}

export function createMonitor(options: MonitorOptions): Monitor {
  const { config, engine, registry } = options;
  const database = config.clickhouse.database;
  const logger = options.logger.child({ component: "monitor" });
  const now = options.now ?? Date.now;
  const sink = options.sink ?? NO_SINK;
  const references = new ReferenceStore(engine, database);
  // Read at every scrape (after construction): whether this process evaluates now.
  const metrics: MonitorMetrics = new MonitorMetrics(
    registry,
    (): boolean => scheduler.isRunning && scheduler.isEvaluator(),
  );
  const runner: WindowRunner = new WindowRunner({
    config,
    engine,
    references,
    profiles: new ReferenceProfiles(engine, database, logger),
    metrics,
    sink,
    logger,
    now,
  });
  const scheduler: Scheduler = new Scheduler({
    config,
    engine,
    registry,
    logger,
    references,
    runner,
    sink,
    now,
    ...(options.kafka !== undefined ? { kafka: options.kafka } : {}),
    ...(options.electionSessionTimeoutMs !== undefined
      ? { electionSessionTimeoutMs: options.electionSessionTimeoutMs }
      : {}),
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    ...(options.onRole !== undefined ? { onRole: options.onRole } : {}),
  });
  const operations = new MonitorOperationsService({ config, engine, references, runner, now });
  return {
    listModels: () => operations.listModels(),
    getModel: (model) => operations.getModel(model),
    setReference: (model, version, spec, actor) =>
      operations.setReference(model, version, spec, actor),
    getReference: (model, version) => operations.getReference(model, version),
    registerVersion: (model, version, reference, actor) =>
      operations.registerVersion(model, version, reference, actor),
    status: (model) => operations.status(model),
    evaluate: (model, actor, window) => operations.evaluate(model, actor, window),
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
    tick: () => scheduler.tick(),
    readiness: () => scheduler.readiness(),
    isEvaluator: () => scheduler.isEvaluator(),
  };
}

/**
 * The operations alone, without a scheduler, for a command that reads or changes one thing (the
 * CLI's `status`, `reference set`): its evaluations, if any, set gauges nobody scrapes and go
 * nowhere else.
 */
export function createMonitorOperations(options: {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly logger: Logger;
  readonly now?: () => number;
}): MonitorOperations {
  const { config, engine } = options;
  const database = config.clickhouse.database;
  const now = options.now ?? Date.now;
  const references = new ReferenceStore(engine, database);
  const runner = new WindowRunner({
    config,
    engine,
    references,
    profiles: new ReferenceProfiles(engine, database, options.logger),
    metrics: new MonitorMetrics(new Registry()),
    sink: NO_SINK,
    logger: options.logger,
    now,
  });
  return new MonitorOperationsService({ config, engine, references, runner, now });
}
