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
    performanceMetrics: ["accuracy", "f1"],
    offsetMs: 0,
  },
  {
    model: "fraud.v2",
    versions: ["7"],
    features: { amount: "numeric", merchant: "categorical" },
    performanceMetrics: ["accuracy"],
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

function isDrifted(featureIndex: number, window: number): boolean {
  return (featureIndex + window) % 2 === 0;
}

function expectedDriftShares(): [string, number][] {
  const shares: [number, string, number][] = [];
  for (const spec of MODELS) {
    const features = Object.keys(spec.features);
    for (const [window, end] of windowEnds(spec).entries()) {
      const drifted = features.filter((_, index) => isDrifted(index, window)).length;
      shares.push([end, spec.model, drifted / features.length]);
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
      for (const [index, [feature, kind]] of features.entries()) {
        const drifted = isDrifted(index, window);
        const test = kind === "numeric" ? "wasserstein_normed" : "js";
        for (const [metric, threshold] of [
          ["psi", 0.2],
          [test, 0.1],
        ] as const) {
          const value = drifted ? threshold * 2 : threshold / 2;
          const row = { ...base, feature, metric, value, threshold, drifted: drifted ? 1 : 0 };
          // A superseded evaluation of the same window (older computed_at) the dashboards collapse.
          driftRows.push({ ...row, drifted: drifted ? 0 : 1, computed_at: sec(end) });
          driftRows.push({ ...row, computed_at: sec(end + 60_000) });
        }
      }
      for (const metric of spec.performanceMetrics) {
        performanceRows.push({
          ...base,
          metric,
          value: 0.9 - window * 0.05,
          reference_value: 0.9,
          n_labelled: 10 + window,
          p_value: 0.5 / (window + 1),
          computed_at: sec(end + 60_000),
        });
      }
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
