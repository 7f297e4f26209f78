// The monitor's Prometheus series on the shared registry (names fixed: dashboards use them).
// Label cardinality is bounded: per model at most `metricsFeatureCap` features (first by name).
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { DRIFT_METRIC_NAMES, decidingJudgement, realizedMetricOf } from "../../detectors/index.js";
import type { WindowEvaluation } from "./window-evaluator.js";

export const MONITOR_METRIC_NAMES = [
  "driftwatch_drift_score",
  "driftwatch_feature_drifted",
  "driftwatch_drift_share",
  "driftwatch_performance_metric",
  "driftwatch_performance_estimated",
  "driftwatch_performance_estimate_alert",
  "driftwatch_window_rows",
  "driftwatch_evaluation_duration_seconds",
  "driftwatch_last_evaluation_timestamp_seconds",
  "driftwatch_evaluation_failures_total",
  "driftwatch_evaluator",
] as const;

export class MonitorMetrics {
  private readonly driftScore: Gauge<"model" | "feature" | "metric">;
  private readonly featureDrifted: Gauge<"model" | "feature">;
  private readonly driftShare: Gauge<"model">;
  private readonly performance: Gauge<"model" | "metric">;
  private readonly estimated: Gauge<"model" | "metric" | "bound">;
  private readonly estimateAlert: Gauge<"model" | "metric">;
  private readonly windowRows: Gauge<"model">;
  private readonly duration: Histogram<"model">;
  private readonly lastEvaluation: Gauge<"model">;
  readonly failures: Counter<"model">;
  /** Series set per model, removed before the next window's are set (features come and go). */
  private readonly featureSeries = new Map<string, FeatureSeries>();

  /** `isEvaluator` is read at every scrape for `driftwatch_evaluator` (0 when not given). */
  constructor(registry: Registry, isEvaluator: () => boolean = () => false) {
    const registers = [registry];
    // Several monitors may share one registry (tests do; `serve` has one monitor per process):
    // the series are created once and shared, `driftwatch_evaluator` reports the first monitor.
    const shared = <T>(name: string, create: () => T): T =>
      (registry.getSingleMetric(name) as T | undefined) ?? create();
    this.driftScore = shared(
      "driftwatch_drift_score",
      () =>
        new Gauge({
          name: "driftwatch_drift_score",
          help: `Latest drift figure per model, feature and metric (${DRIFT_METRIC_NAMES.join(", ")})`,
          labelNames: ["model", "feature", "metric"],
          registers,
        }),
    );
    this.featureDrifted = shared(
      "driftwatch_feature_drifted",
      () =>
        new Gauge({
          name: "driftwatch_feature_drifted",
          help: "1 when the feature drifted in the latest evaluated window, else 0",
          labelNames: ["model", "feature"],
          registers,
        }),
    );
    this.driftShare = shared(
      "driftwatch_drift_share",
      () =>
        new Gauge({
          name: "driftwatch_drift_share",
          help: "Share of drifted features in the latest evaluated window",
          labelNames: ["model"],
          registers,
        }),
    );
    this.performance = shared(
      "driftwatch_performance_metric",
      () =>
        new Gauge({
          name: "driftwatch_performance_metric",
          help: "Latest performance metric (accuracy, f1, roc_auc, mae, label_coverage…) per model",
          labelNames: ["model", "metric"],
          registers,
        }),
    );
    this.estimated = shared(
      "driftwatch_performance_estimated",
      () =>
        new Gauge({
          name: "driftwatch_performance_estimated",
          help: "Latest performance estimated before labels arrive, per model and metric (accuracy, precision, recall, f1, roc_auc); bound: value, lower, upper (sampling-error band), threshold_lower, threshold_upper (the reference's band)",
          labelNames: ["model", "metric", "bound"],
          registers,
        }),
    );
    this.estimateAlert = shared(
      "driftwatch_performance_estimate_alert",
      () =>
        new Gauge({
          name: "driftwatch_performance_estimate_alert",
          help: "1 when the latest estimated performance metric is outside the reference's band, else 0",
          labelNames: ["model", "metric"],
          registers,
        }),
    );
    this.windowRows = shared(
      "driftwatch_window_rows",
      () =>
        new Gauge({
          name: "driftwatch_window_rows",
          help: "Events in the latest evaluated window",
          labelNames: ["model"],
          registers,
        }),
    );
    this.duration = shared(
      "driftwatch_evaluation_duration_seconds",
      () =>
        new Histogram({
          name: "driftwatch_evaluation_duration_seconds",
          help: "Time to evaluate one window of one model version",
          labelNames: ["model"],
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
          registers,
        }),
    );
    this.lastEvaluation = shared(
      "driftwatch_last_evaluation_timestamp_seconds",
      () =>
        new Gauge({
          name: "driftwatch_last_evaluation_timestamp_seconds",
          help: "When the model's latest successful window evaluation finished (Unix seconds)",
          labelNames: ["model"],
          registers,
        }),
    );
    this.failures = shared(
      "driftwatch_evaluation_failures_total",
      () =>
        new Counter({
          name: "driftwatch_evaluation_failures_total",
          help: "Window evaluations that failed (logged with the cause)",
          labelNames: ["model"],
          registers,
        }),
    );
    // Read at scrape time, so it follows the election without the monitor polling it.
    shared(
      "driftwatch_evaluator",
      () =>
        new Gauge({
          name: "driftwatch_evaluator",
          help: "1 while this process's scheduler runs and holds the elected evaluator role, else 0",
          registers,
          collect() {
            this.set(isEvaluator() ? 1 : 0);
          },
        }),
    );
  }

  /** Record an evaluation; `latest` says whether it is the model's newest window. */
  record(evaluation: WindowEvaluation, featureCap: number, latest: boolean, now: number): void {
    const model = evaluation.summary.model;
    this.duration.observe({ model }, evaluation.durationSeconds);
    this.lastEvaluation.set({ model }, now / 1000);
    if (!latest) return;
    this.windowRows.set({ model }, evaluation.summary.rows);
    if (evaluation.drift !== undefined) {
      this.forgetFeatures(model);
      const seen: FeatureSeries = { scores: [], drifted: [] };
      this.featureSeries.set(model, seen);
      const features = [
        ...new Set(
          evaluation.drift.results.flatMap((result) =>
            result.kind === "drift" || result.kind === "data_quality" ? [result.feature] : [],
          ),
        ),
      ]
        .sort()
        .slice(0, featureCap);
      const allowed = new Set(features);
      for (const result of evaluation.drift.results) {
        if (result.kind !== "drift" || !allowed.has(result.feature)) continue;
        const { feature, metric, value } = result;
        if (Number.isFinite(value)) {
          this.driftScore.set({ model, feature, metric }, value);
          seen.scores.push({ feature, metric });
        }
        const verdict = decidingJudgement(result);
        if (verdict !== null) {
          this.featureDrifted.set({ model, feature }, verdict.drifted ? 1 : 0);
          seen.drifted.push(feature);
        }
      }
      if (evaluation.drift.driftShare !== null) {
        this.driftShare.set({ model }, evaluation.drift.driftShare);
      }
    }
    for (const result of evaluation.performance?.results ?? []) {
      if (Number.isFinite(result.value))
        this.performance.set({ model, metric: result.metric }, result.value);
    }
    for (const result of evaluation.estimation?.results ?? []) {
      const metric = realizedMetricOf(result.metric) ?? result.metric;
      const bounds = {
        value: result.value,
        lower: result.lower,
        upper: result.upper,
        threshold_lower: result.thresholdLower,
        threshold_upper: result.thresholdUpper,
      };
      for (const [bound, value] of Object.entries(bounds)) {
        if (value === null) this.estimated.remove({ model, metric, bound });
        else this.estimated.set({ model, metric, bound }, value);
      }
      this.estimateAlert.set({ model, metric }, result.alert ? 1 : 0);
    }
  }

  private forgetFeatures(model: string): void {
    const series = this.featureSeries.get(model);
    if (series === undefined) return;
    for (const labels of series.scores) this.driftScore.remove({ model, ...labels });
    for (const feature of series.drifted) this.featureDrifted.remove({ model, feature });
  }
}

interface FeatureSeries {
  scores: { feature: string; metric: string }[];
  drifted: string[];
}
