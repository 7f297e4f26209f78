// A small data set for the dashboard query checks, inserted directly into the migrated tables:
// two models with numeric and categorical features (one feature name with a quote in it), events
// on the event and late labels, drift and performance results per window (with superseded rows the
// dashboards must collapse), alerts and dead letters. The expected figures are derived from the
// same rows, so the checks follow the data.
import { qualifiedName, type SqlEngine } from "../../../src/store/index.js";

const HOUR = 3_600_000;
const now = Math.floor(Date.now() / HOUR) * HOUR;

interface ModelSpec {
  readonly model: string;
  readonly versions: readonly string[];
  readonly features: Readonly<Record<string, "numeric" | "categorical">>;
  readonly performanceMetrics: readonly string[];
  /** Offset of this model's result windows, so two models never share a window end. */
  readonly offsetMs: number;
}

const MODELS: readonly ModelSpec[] = [
  {
    model: "credit-risk",
    versions: ["1", "2"],
    features: { income: "numeric", region: "categorical", "o'clock share": "numeric" },
    performanceMetrics: ["accuracy", "f1", "label_coverage"],
    offsetMs: 0,
  },
  {
    model: "fraud.v2",
    versions: ["7"],
    features: { amount: "numeric", merchant: "categorical" },
    performanceMetrics: ["accuracy", "label_coverage"],
    offsetMs: HOUR,
  },
];

const rangeFrom = now - 48 * HOUR;
const rangeTo = now;
const sec = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

interface PredictionRow {
  model: string;
  event_id: string;
  ts: number;
  label: string | null;
  lateLabel: boolean;
}

function predictionRows(spec: ModelSpec): PredictionRow[] {
  const rows: PredictionRow[] = [];
  // Hourly events over the dashboards' range and the 48 hours before it (the "preceding" period).
  for (let hour = 0; hour < 96; hour++) {
    const ts = rangeFrom - 48 * HOUR + hour * HOUR + 30 * 60_000;
    rows.push({
      model: spec.model,
      event_id: `${spec.model}-${hour}`,
      ts,
      label: hour % 4 === 0 ? String(hour % 2) : null,
      lateLabel: hour % 4 !== 0 && hour % 3 === 0,
    });
  }
  return rows;
}

function windowEnds(spec: ModelSpec): number[] {
  return [1, 2, 3, 4].map((k) => rangeFrom + k * 12 * HOUR - spec.offsetMs);
}

/** The monitor's verdict for a feature in a window (decided by its test metric, not PSI). */
function isDrifted(featureIndex: number, window: number): boolean {
  return (featureIndex + window) % 2 === 0;
}

/** PSI is reported with its own flag, which may disagree with the verdict (feature 0 here). */
function psiDrifted(featureIndex: number, window: number): boolean {
  return featureIndex === 0 ? !isDrifted(featureIndex, window) : isDrifted(featureIndex, window);
}

/** [drift share, drifted features] per window of a model, in window order. */
function driftVerdicts(spec: ModelSpec): [number, number][] {
  const features = Object.keys(spec.features);
  return windowEnds(spec).map((_, window) => {
    const drifted = features.filter((_, index) => isDrifted(index, window)).length;
    return [drifted / features.length, drifted];
  });
}

function expectedDriftShares(): [string, number][] {
  const shares: [number, string, number][] = [];
  for (const spec of MODELS) {
    const verdicts = driftVerdicts(spec);
    for (const [window, end] of windowEnds(spec).entries()) {
      shares.push([end, spec.model, verdicts[window]![0]]);
    }
  }
  return shares.sort((a, b) => a[0] - b[0]).map(([, model, share]) => [model, share]);
}

function expectedModels(): [string, number, number][] {
  return MODELS.map((spec) => {
    const inRange = predictionRows(spec).filter((row) => row.ts >= rangeFrom && row.ts <= rangeTo);
    const labelled = inRange.filter((row) => row.label !== null || row.lateLabel).length;
    return [spec.model, inRange.length, Math.round((labelled / inRange.length) * 1e4) / 1e4];
  });
}

export const TEST_DATA = {
  rangeFrom,
  rangeTo,
  featureKinds: Object.fromEntries(MODELS.flatMap((spec) => Object.entries(spec.features))),
  expectedDriftShares: expectedDriftShares(),
  expectedModels: expectedModels(),
  /** Per model: [drift share, drifted features] of each window, oldest first. */
  expectedWindows: Object.fromEntries(MODELS.map((spec) => [spec.model, driftVerdicts(spec)])),
};

export async function loadDashboardData(engine: SqlEngine, database: string): Promise<void> {
  const table = (name: string): string => qualifiedName(database, name);
  for (const spec of MODELS) {
    const features = Object.entries(spec.features);
    const events = predictionRows(spec);
    await engine.insert(
      table("predictions"),
      events.map((event, index) => {
        const numeric = features.filter(([, kind]) => kind === "numeric");
        const categorical = features.filter(([, kind]) => kind === "categorical");
        return {
          model: spec.model,
          model_version: spec.versions[index % spec.versions.length],
          event_id: event.event_id,
          ts: sec(event.ts),
          ts_ms: event.ts % 1000,
          num_names: numeric.map(([name]) => name),
          num_values: numeric.map((_, i) => 1000 + index * 10 + i),
          cat_names: categorical.map(([name]) => name),
          cat_values: categorical.map(() => ["EU", "US", "APAC"][index % 3]),
          missing_names: [],
          prediction: "0.5",
          prediction_value: 0.5,
          label: event.label,
          label_value: event.label === null ? null : Number(event.label),
          kafka_topic: "driftwatch.predictions",
          kafka_partition: 0,
          kafka_offset: index,
          ingested_at: sec(event.ts),
        };
      }),
    );
    await engine.insert(
      table("labels"),
      events
        .filter((event) => event.lateLabel)
        .map((event, index) => ({
          model: spec.model,
          event_id: event.event_id,
          label: "1",
          label_value: 1,
          ts: sec(event.ts + HOUR),
          kafka_topic: "driftwatch.labels",
          kafka_partition: 0,
          kafka_offset: index,
          ingested_at: sec(event.ts + HOUR),
        })),
    );

    const driftRows = [];
    const performanceRows = [];
    for (const [window, end] of windowEnds(spec).entries()) {
      const base = {
        model: spec.model,
        model_version: spec.versions[spec.versions.length - 1],
        window_start: sec(end - 12 * HOUR),
        window_end: sec(end),
      };
      // Rows as the monitor writes them (src/monitor/drift-evaluation.ts): per feature the
      // deciding test metric with its threshold and verdict, PSI with its own report threshold and
      // flag, figures and data quality without threshold; then the model-level `_dataset` row.
      const rows = [];
      for (const [index, [feature, kind]] of features.entries()) {
        const drifted = isDrifted(index, window);
        const test = kind === "numeric" ? "wasserstein_normed" : "js";
        const flag = (value: boolean): number => (value ? 1 : 0);
        rows.push(
          {
            feature,
            metric: test,
            value: drifted ? 0.2 : 0.05,
            threshold: 0.1,
            drifted: flag(drifted),
          },
          {
            feature,
            metric: "psi",
            value: psiDrifted(index, window) ? 0.4 : 0.1,
            threshold: 0.2,
            drifted: flag(psiDrifted(index, window)),
          },
          {
            feature,
            metric: kind === "numeric" ? "ks_statistic" : "chi2_statistic",
            value: 0.3,
            threshold: 0,
            drifted: 0,
          },
          { feature, metric: "missing_share", value: 0, threshold: 0, drifted: 0 },
        );
      }
      const [share] = driftVerdicts(spec)[window]!;
      rows.push({
        feature: "_dataset",
        metric: "drift_share",
        value: share,
        threshold: 0.5,
        drifted: share >= 0.5 ? 1 : 0,
      });
      for (const row of rows) {
        // A superseded evaluation of the same window (older computed_at) the dashboards collapse.
        driftRows.push({
          ...base,
          ...row,
          value: row.value + 1,
          drifted: 1 - row.drifted,
          computed_at: sec(end),
        });
        driftRows.push({ ...base, ...row, computed_at: sec(end + 60_000) });
      }
      for (const metric of spec.performanceMetrics) {
        performanceRows.push({
          ...base,
          metric,
          value: 0.9 - window * 0.05,
          reference_value: 0.9,
          n_labelled: 10 + window,
          // label_coverage has no significance test: the monitor stores NaN.
          p_value: metric === "label_coverage" ? Number.NaN : 0.5 / (window + 1),
          computed_at: sec(end + 60_000),
        });
      }
      // Estimated before labels (accuracy, with bands); a superseded estimate first.
      const estimate = {
        ...base,
        metric: "estimated_accuracy",
        value: 0.88 - window * 0.04,
        reference_value: 0.9,
        n_labelled: 0,
        p_value: Number.NaN,
        band_lower: 0.85 - window * 0.04,
        band_upper: 0.91 - window * 0.04,
        threshold_lower: 0.82,
        threshold_upper: 0.97,
        alert: 0.88 - window * 0.04 < 0.82 ? 1 : 0,
      };
      performanceRows.push({ ...estimate, value: 0.5, computed_at: sec(end) });
      performanceRows.push({ ...estimate, computed_at: sec(end + 60_000) });
    }
    await engine.insert(table("drift_results"), driftRows);
    await engine.insert(table("performance_results"), performanceRows);

    const firedAt = sec(rangeTo - 6 * HOUR);
    const alert = {
      alert_id: `${spec.model}-drift`,
      rule: "feature-drift",
      model: spec.model,
      model_version: spec.versions[0],
      feature: features[0]![0],
      metric: "psi",
      severity: "warning",
      value: 0.4,
      threshold: 0.2,
      message: `drift on ${spec.model}`,
      labels: "{}",
      annotations: "{}",
      features: [features[0]![0]],
      active_at: firedAt,
      fired_at: firedAt,
      resolved_at: sec(0),
      keep_firing_since: sec(0),
      last_sent_at: firedAt,
      resolve_sent_at: sec(0),
      breaching_windows: 2,
      clear_windows: 0,
      window_start: sec(rangeTo - 18 * HOUR),
      window_end: sec(rangeTo - 6 * HOUR),
      last_window_end_ms: rangeTo - 6 * HOUR,
      updated_at: firedAt,
    };
    await engine.insert(
      table("notifications"),
      [
        { status: "retrying", attempt: 1, reason: "rate_limited", response_code: 429 },
        { status: "delivered", attempt: 2, reason: "", response_code: 200 },
      ].map((delivery, index) => ({
        sent_at: sec(rangeTo - 5 * HOUR + index * 60_000),
        sent_at_ms: rangeTo - 5 * HOUR + index * 60_000,
        notification_id: `${spec.model}-n1`,
        group_key: `{}:{alertname="feature-drift",model="${spec.model}"}`,
        rule: "feature-drift",
        model: spec.model,
        receiver: "ml-team",
        integration: "slack",
        kind: "firing",
        retryable: delivery.status === "retrying" ? 1 : 0,
        last_error: delivery.status === "retrying" ? "ratelimited" : "",
        detail: "",
        duration_ms: 12,
        firing: [`${spec.model}-drift`],
        resolved: [],
        external_ref: "",
        ...delivery,
      })),
    );
    const requested = rangeTo - 5 * HOUR;
    const retrain = {
      model: spec.model,
      request_id: `${spec.model}-r1`,
      source: "alert",
      reason: "feature-drift fired",
      episode: `${spec.model}-drift`,
      actions: ["retrain"],
      requested_at: sec(requested),
      requested_at_ms: requested,
      detail: "",
      payload: "{}",
    };
    await engine.insert(table("retrain_requests"), [
      { ...retrain, status: "claimed", updated_at_ms: requested },
      { ...retrain, status: "delivered", updated_at_ms: requested + 1000 },
    ]);
    await engine.insert(table("alerts"), [
      { ...alert, state: "pending", version: 1 },
      { ...alert, state: "firing", version: 2 },
      { ...alert, alert_id: `${spec.model}-old`, state: "resolved", version: 3 },
    ]);
  }
  await engine.insert(
    table("dead_letters"),
    ["invalid_json", "missing_field"].map((reason, index) => ({
      received_at: sec(rangeTo - (index + 1) * HOUR),
      topic: "driftwatch.predictions",
      partition: 0,
      offset: index,
      reason,
      detail: reason,
      raw: "{",
      key: "",
    })),
  );
}
