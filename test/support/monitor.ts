// Monitoring data and engines for tests: a migrated database of the test's own, a config
// with given models, and synthetic events written straight into ClickHouse with
// INSERT … SELECT … FROM numbers() (deterministic normal values from intHash64).
import { fineQuantileEdges, sortFloat64 } from "../../detectors/index.js";
import { parseConfig, type DriftwatchConfig } from "../../src/config/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import { createMonitor, type Monitor } from "../../src/monitor/index.js";
import type { RowSource } from "../../src/monitor/row-source.js";
import {
  applyMigrations,
  raw,
  sql,
  tableRef,
  type SqlEngine,
  type SqlFragment,
} from "../../src/store/index.js";
import { createLogger } from "../../src/util/logger.js";
import { HOUR } from "./clock.js";

export function configFor(database: string, modelsYaml: string): DriftwatchConfig {
  return parseConfig(
    `clickhouse:\n  database: ${database}\nalerts:\n  enabled: false\nmodels:\n${modelsYaml}`,
    { env: {} },
  );
}

export async function migrate(engine: SqlEngine, database: string): Promise<void> {
  await applyMigrations(engine, database);
}

export function monitorFor(
  config: DriftwatchConfig,
  engine: SqlEngine,
  clock: { now: number },
  registry = createMetricsRegistry(),
): Monitor {
  return createMonitor({
    config,
    engine,
    registry,
    logger: createLogger("monitor-test", "warn"),
    now: () => clock.now,
  });
}

/** Standard normal from two hashes of `seedExpression` (deterministic). */
function normal(seed: SqlFragment): SqlFragment {
  return sql`(sqrt(-2 * log((intHash64(${seed}) % 1000000 + 1) / 1000001)) * cos(2 * pi() * (intHash64(${seed} + 1000000007) % 1000000) / 1000000))`;
}

export interface Batch {
  readonly model: string;
  readonly version?: string;
  readonly from: number;
  readonly to: number;
  readonly rows: number;
  /** Distinguishes batches (event ids and random streams). */
  readonly seed: number;
  /** Added to x (a shift injected). */
  readonly shift?: number;
  /** Numeric label: 1 when x > 0 (labelled on the event) — omit for unlabelled events. */
  readonly labelled?: boolean;
}

/**
 * Events with features x ~ N(shift, 1), y ~ N(0, 1), c ∈ {a, b, c} and prediction sigmoid(x)
 * spread evenly over [from, to). event_id = `<seed>-<number>`.
 */
export async function insertEvents(
  engine: SqlEngine,
  database: string,
  batch: Batch,
): Promise<void> {
  const n = raw(`(number + ${batch.seed * 10_000_000})`);
  const x = sql`(${normal(n)} + ${batch.shift ?? 0})`;
  const y = normal(raw(`(number + ${batch.seed * 10_000_000 + 5_000_000})`));
  const spanSeconds = Math.floor((batch.to - batch.from) / 1000);
  const label =
    batch.labelled === true
      ? sql`toNullable(toString(x_value > 0))`
      : sql`CAST(NULL AS Nullable(String))`;
  const labelValue =
    batch.labelled === true
      ? sql`toNullable(toFloat64(x_value > 0))`
      : sql`CAST(NULL AS Nullable(Float64))`;
  await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  (model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
   missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
   kafka_offset, ingested_at)
  SELECT ${batch.model}, ${batch.version ?? "1"}, concat(${String(batch.seed)}, '-', toString(number)),
    toDateTime(${Math.floor(batch.from / 1000)} + intDiv(number * ${spanSeconds}, ${batch.rows})), 0,
    ['x', 'y'], [x_value, ${y}], ['c'], [arrayElement(['a', 'b', 'c'], intHash64(${n} + 3) % 3 + 1)],
    CAST([] AS Array(String)), toNullable(toString(p)), toNullable(p), ${label}, ${labelValue},
    'test', 0, number, now()
  FROM (SELECT number, ${x} AS x_value, 1 / (1 + exp(-x_value)) AS p FROM numbers(${batch.rows}))`);
}

/** Latest value of each (window_start, feature, metric) of a model in drift_results. */
export async function driftResults(
  engine: SqlEngine,
  database: string,
  model: string,
): Promise<
  {
    ws: number;
    feature: string;
    metric: string;
    value: number;
    threshold: number;
    drifted: number;
  }[]
> {
  const rows = await engine.query<{
    ws: number;
    feature: string;
    metric: string;
    latest_value: number;
    latest_threshold: number;
    latest_drifted: number;
  }>(sql`SELECT toUInt32(window_start) * 1000 AS ws, feature, metric,
    argMax(value, computed_at) AS latest_value, argMax(threshold, computed_at) AS latest_threshold,
    argMax(drifted, computed_at) AS latest_drifted
  FROM ${tableRef(database, "drift_results")} WHERE model = ${model}
  GROUP BY ws, feature, metric ORDER BY ws, feature, metric`);
  return rows.map((row) => ({
    ws: Number(row.ws),
    feature: row.feature,
    metric: row.metric,
    value: row.latest_value,
    threshold: row.latest_threshold,
    drifted: Number(row.latest_drifted),
  }));
}

/** A uniform in (0, 1) from one hash of `key` (53 random bits, never 0 or 1). */
function uniform(key: SqlFragment): SqlFragment {
  return sql`((intHash64(${key}) % 9007199254740992 + 0.5) / 9007199254740992)`;
}

export interface CreditBatch {
  readonly model: string;
  readonly version?: string;
  /** Hour-aligned start (epoch ms). */
  readonly from: number;
  readonly hours: number;
  /**
   * Rows in each hour: round(mid + amplitude · sin(2π · hourOfDay / 24)), a daily traffic cycle
   * (amplitude 0: exactly `mid` rows every hour); fewer than 100,000.
   */
  readonly rowsPerHour: { readonly mid: number; readonly amplitude?: number };
  /** Distinguishes batches (event ids and random streams); below 1,000,000. */
  readonly seed: number;
  /** Added to `score` (in standard deviations); `tenure` is scaled by 1 + shift. */
  readonly shift?: number;
}

/** The features insertCreditEvents writes (besides the numeric prediction). */
export const CREDIT_FEATURES = {
  numeric: ["age", "income", "score", "tenure", "utilization"],
  categorical: ["region", "employed"],
} as const;

/**
 * Credit-risk-like events computed server-side, hour by hour: age (whole years 18…80, many
 * ties), income (log-normal, missing in ~3 % of rows), score ~ N(shift, 1), tenure (exponential,
 * mean 24·(1 + shift)), utilization ~ U(0, 1), region (north 40 %, south 30 %, east 20 %,
 * west 10 %), employed ("true" 70 %) and prediction = sigmoid of a mix of them. An hour's rows
 * are spread evenly over it, the first at the hour's start. event_id = `<seed>-<hour>-<row>`.
 */
export async function insertCreditEvents(
  engine: SqlEngine,
  database: string,
  batch: CreditBatch,
): Promise<void> {
  const shift = batch.shift ?? 0;
  const firstHour = Math.floor(batch.from / HOUR);
  const uniforms = Array.from(
    { length: 10 },
    (_, stream) =>
      sql`${uniform(raw(`((${batch.seed} * 1000000000 + h * 100000 + i) * 16 + ${stream})`))} AS ${raw(`u${stream}`)}`,
  );
  await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  (model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
   missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
   kafka_offset, ingested_at)
  SELECT ${batch.model}, ${batch.version ?? "1"},
    concat(${String(batch.seed)}, '-', toString(h), '-', toString(i)),
    toDateTime(${Math.floor(batch.from / 1000)} + h * 3600 + intDiv(i * 3600, n_h)), 0,
    if(income_missing, ['age', 'score', 'tenure', 'utilization'],
      ['age', 'income', 'score', 'tenure', 'utilization']),
    if(income_missing, [age, score, tenure, utilization], [age, income, score, tenure, utilization]),
    ['region', 'employed'], [region, employed],
    if(income_missing, ['income'], CAST([] AS Array(String))),
    toNullable(toString(p)), toNullable(p), CAST(NULL AS Nullable(String)),
    CAST(NULL AS Nullable(Float64)), 'test', 0, h * 100000 + i, now()
  FROM (SELECT h, i, n_h,
      toFloat64(floor(18 + least(62, greatest(0, 20 + 12 * sqrt(-2 * log(u0)) * cos(2 * pi() * u1))))) AS age,
      sqrt(-2 * log(u2)) * cos(2 * pi() * u3) AS z_income,
      exp(10.5 + 0.6 * z_income) AS income,
      sqrt(-2 * log(u4)) * cos(2 * pi() * u5) + ${shift} AS score,
      -log(u6) * 24 * (1 + ${shift}) AS tenure,
      u7 AS utilization,
      multiIf(u8 < 0.4, 'north', u8 < 0.7, 'south', u8 < 0.9, 'east', 'west') AS region,
      if(u9 < 0.7, 'true', 'false') AS employed,
      (intHash64((${batch.seed} * 1000000000 + h * 100000 + i) * 16 + 10) % 100) < 3 AS income_missing,
      1 / (1 + exp(-(0.04 * (age - 40) + 0.5 * z_income - 0.8 * score
        + if(employed = 'true', 0.3, -0.3)))) AS p
    FROM (SELECT h, i, n_h, ${raw(uniforms.map((fragment) => fragment.text).join(", "))}
      FROM (SELECT number AS h, toUInt64(round(${batch.rowsPerHour.mid} + ${batch.rowsPerHour.amplitude ?? 0}
          * sin(2 * pi() * ((${firstHour} + number) % 24) / 24))) AS n_h
        FROM numbers(${batch.hours}))
      ARRAY JOIN range(n_h) AS i))`);
}

/**
 * Binned-path requests for `features` with edges at the 100 fine quantiles of their values in
 * `source` (as a reference profile would have them) and its range.
 */
export async function histogramRequests(
  engine: SqlEngine,
  source: RowSource,
  features: readonly string[],
): Promise<{ feature: string; edges: Float64Array; range: { min: number; max: number } }[]> {
  const rows = await engine.query<{ name: string; v: number }>(
    sql`SELECT name, v FROM ${source.subquery} ARRAY JOIN num_names AS name, num_values AS v`,
  );
  return features.map((feature) => {
    const sorted = sortFloat64(
      Float64Array.from(rows.filter((row) => row.name === feature).map((row) => row.v)),
    );
    return {
      feature,
      edges: fineQuantileEdges(sorted, 100),
      range: { min: sorted[0]!, max: sorted[sorted.length - 1]! },
    };
  });
}
