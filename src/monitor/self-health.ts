// driftwatch's own health, measured by the evaluator on every scheduler tick and reported the way
// model results are: `health` observations for the alert engine (the built-in self-monitoring
// rules, src/config/schema/alerts/self-monitoring.ts) and `driftwatch_health_*` gauges on /metrics.
//
// Per monitored model: evaluation_age_seconds (since the model's evaluation was last brought up
// to date, tracked in memory so it grows even when ClickHouse refuses every query; its observation
// carries the limit, 2 × the model's interval), evaluation_failures (consecutive failed passes)
// and ingested_rows (events ingested during the model's last interval, in whole 10-second
// buckets, for models with events dated within the last day). For `_driftwatch`: ingest_lag_seconds (read from Kafka), dead_letter_rate (the
// last 5 minutes), notification_failures (the last 15 minutes), evaluation_age_seconds of the
// scheduler itself, and heartbeat (always 1).
// Each source is read on its own: one that fails leaves its observation out, never the others.
import { Gauge, type Registry } from "prom-client";
import {
  HEALTH_METRIC,
  SERVICE_MODEL,
  type Observation,
  type ResultBatch,
} from "../../detectors/index.js";
import {
  type SqlEngine,
  readIngestCounts,
  type IngestCounts,
  activeModelNames,
} from "../store/index.js";
import type { Logger } from "../util/index.js";

/** Dead-letter rate and ingested volume are measured over these windows. */
const RATE_WINDOW_MS = 5 * 60_000;
const TRAFFIC_LOOKBACK_MS = 86_400_000;

export interface HealthModel {
  readonly name: string;
  /** The model's evaluation interval (ms). */
  readonly intervalMs: number;
}

export interface SelfHealthSources {
  readonly engine: SqlEngine;
  readonly database: string;
  /** Ingest lag in seconds from Kafka (undefined: not measured here). */
  readonly ingestLagSeconds?: (nowMs: number) => Promise<number>;
  /** Notifications that failed for good recently (undefined: no alert engine here). */
  readonly notificationFailures?: (nowMs: number) => number;
  readonly logger: Logger;
}

const HEALTH_GAUGES = {
  [HEALTH_METRIC.evaluationAge]:
    "Seconds since the model's evaluation was last brought up to date (model _driftwatch: the scheduler's last completed pass)",
  evaluation_age_limit_seconds:
    "The evaluation age beyond which driftwatch alerts: 2 × the model's interval",
  [HEALTH_METRIC.evaluationFailures]: "Consecutive failed evaluation passes of the model",
  [HEALTH_METRIC.ingestedRows]:
    "Events of the model ingested during its last interval (models with traffic in the last day)",
  [HEALTH_METRIC.ingestLag]:
    "Age of the oldest message the ingest consumer group has not committed",
  [HEALTH_METRIC.deadLetterRate]:
    "Share of the messages of the last 5 minutes that were dead-lettered",
  [HEALTH_METRIC.notificationFailures]:
    "Notifications that failed for good within the last 15 minutes",
} as const;
export type HealthGauge = keyof typeof HEALTH_GAUGES;

/** The `driftwatch_health_*` gauges (label `model`), shared by every SelfHealth of a registry. */
export class HealthGauges {
  private readonly gauges: Record<HealthGauge, Gauge<"model">>;

  constructor(registry: Registry) {
    const gauges = {} as Record<HealthGauge, Gauge<"model">>;
    for (const [metric, help] of Object.entries(HEALTH_GAUGES) as [HealthGauge, string][]) {
      const name = `driftwatch_health_${metric}`;
      gauges[metric] =
        (registry.getSingleMetric(name) as Gauge<"model"> | undefined) ??
        new Gauge({ name, help, labelNames: ["model"], registers: [registry] });
    }
    this.gauges = gauges;
  }

  set(metric: HealthGauge, model: string, value: number): void {
    this.gauges[metric].set({ model }, value);
  }
}

export class SelfHealth {
  /** When each model's evaluation was last up to date (epoch ms). */
  private readonly upToDate = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private lastPassAt: number;
  /** Counts per look-back window within one collect() (models share their interval's read). */
  private byWindow = new Map<number, Promise<IngestCounts | undefined>>();
  private readonly gauges: HealthGauges;

  constructor(
    private readonly sources: SelfHealthSources,
    registry: Registry,
    startedAt: number,
  ) {
    this.lastPassAt = startedAt;
    this.gauges = new HealthGauges(registry);
  }

  /** The model's evaluation is current (a pass evaluated every due window, maybe none). */
  evaluated(model: string, now: number): void {
    this.upToDate.set(model, now);
    this.failures.set(model, 0);
  }

  /** A pass over the model failed. */
  failed(model: string): void {
    this.failures.set(model, (this.failures.get(model) ?? 0) + 1);
  }

  /** A scheduler pass over every model ended. */
  passCompleted(now: number): void {
    this.lastPassAt = now;
  }

  /** The health batches of this tick (one per model, one for `_driftwatch`); gauges are set. */
  async collect(
    models: readonly HealthModel[],
    now: number,
    options: { readonly heartbeat: boolean; readonly windowMs: number },
  ): Promise<ResultBatch[]> {
    this.byWindow = new Map();
    const withTraffic = await this.attempt("models with traffic", async () => {
      const names = await activeModelNames(
        this.sources.engine,
        this.sources.database,
        (now - TRAFFIC_LOOKBACK_MS) / 1000,
      );
      return new Set(names);
    });
    const recent = await this.attempt("recent ingest counts", () =>
      readIngestCounts(this.sources.engine, this.sources.database, (now - RATE_WINDOW_MS) / 1000),
    );
    const batches: ResultBatch[] = [];
    for (const model of models) {
      const observations: Observation[] = [];
      // A model first seen now starts its clock now (a restart grants one grace period).
      if (!this.upToDate.has(model.name)) this.upToDate.set(model.name, now);
      const limit = (2 * model.intervalMs) / 1000;
      const age = Math.max(0, (now - this.upToDate.get(model.name)!) / 1000);
      observations.push(
        { kind: "health", metric: HEALTH_METRIC.evaluationAge, value: age, threshold: limit },
        {
          kind: "health",
          metric: HEALTH_METRIC.evaluationFailures,
          value: this.failures.get(model.name) ?? 0,
        },
      );
      this.set(HEALTH_METRIC.evaluationAge, model.name, age);
      this.set("evaluation_age_limit_seconds", model.name, limit);
      this.set(HEALTH_METRIC.evaluationFailures, model.name, this.failures.get(model.name) ?? 0);
      const silence = await this.silentRows(model, withTraffic, now);
      if (silence !== undefined) {
        observations.push({ kind: "health", metric: HEALTH_METRIC.ingestedRows, value: silence });
        this.set(HEALTH_METRIC.ingestedRows, model.name, silence);
      }
      batches.push(this.batch(model.name, now, options.windowMs, observations));
    }
    batches.push(await this.serviceBatch(now, recent, options));
    return batches;
  }

  private async serviceBatch(
    now: number,
    recent: IngestCounts | undefined,
    options: { readonly heartbeat: boolean; readonly windowMs: number },
  ): Promise<ResultBatch> {
    const observations: Observation[] = [];
    const passAge = Math.max(0, (now - this.lastPassAt) / 1000);
    observations.push({ kind: "health", metric: HEALTH_METRIC.evaluationAge, value: passAge });
    this.set(HEALTH_METRIC.evaluationAge, SERVICE_MODEL, passAge);
    const lagSource = this.sources.ingestLagSeconds;
    if (lagSource !== undefined) {
      const lag = await this.attempt("ingest lag", () => lagSource(now));
      if (lag !== undefined) {
        observations.push({ kind: "health", metric: HEALTH_METRIC.ingestLag, value: lag });
        this.set(HEALTH_METRIC.ingestLag, SERVICE_MODEL, lag);
      }
    }
    if (recent !== undefined) {
      const total = recent.deadLetters + recent.stored;
      const rate = total === 0 ? 0 : recent.deadLetters / total;
      observations.push({ kind: "health", metric: HEALTH_METRIC.deadLetterRate, value: rate });
      this.set(HEALTH_METRIC.deadLetterRate, SERVICE_MODEL, rate);
    }
    if (this.sources.notificationFailures !== undefined) {
      const failed = this.sources.notificationFailures(now);
      observations.push({
        kind: "health",
        metric: HEALTH_METRIC.notificationFailures,
        value: failed,
      });
      this.set(HEALTH_METRIC.notificationFailures, SERVICE_MODEL, failed);
    }
    if (options.heartbeat)
      observations.push({ kind: "health", metric: HEALTH_METRIC.heartbeat, value: 1 });
    return this.batch(SERVICE_MODEL, now, options.windowMs, observations);
  }

  /** Events ingested in the model's last interval, when it had events in the last day. */
  private async silentRows(
    model: HealthModel,
    withTraffic: ReadonlySet<string> | undefined,
    now: number,
  ): Promise<number | undefined> {
    if (withTraffic?.has(model.name) !== true) return undefined;
    const window = Math.min(model.intervalMs, TRAFFIC_LOOKBACK_MS);
    let latest = this.byWindow.get(window);
    if (latest === undefined) {
      latest = this.attempt("ingested rows", () =>
        readIngestCounts(this.sources.engine, this.sources.database, (now - window) / 1000),
      );
      this.byWindow.set(window, latest);
    }
    const counts = await latest;
    return counts === undefined ? undefined : (counts.predictionsByModel.get(model.name) ?? 0);
  }

  private batch(
    model: string,
    now: number,
    windowMs: number,
    observations: Observation[],
  ): ResultBatch {
    return { model, windowStart: now - windowMs, windowEnd: now, observations };
  }

  private set(metric: HealthGauge, model: string, value: number): void {
    this.gauges.set(metric, model, value);
  }

  private async attempt<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      this.sources.logger.warn({ err: (error as Error).message }, `self-health: ${what} unknown`);
      return undefined;
    }
  }
}
