// Helpers for the monitor's integration tests: a migrated database of the test's own, a config
// with given models, and synthetic events written straight into ClickHouse with
// INSERT … SELECT … FROM numbers() (deterministic normal values from intHash64).
import { parseConfig, type DriftwatchConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { createMonitor, type Monitor } from "../../../src/monitor/index.js";
import {
  applyMigrations,
  raw,
  sql,
  tableRef,
  type SqlEngine,
  type SqlFragment,
} from "../../../src/store/index.js";
import { createLogger } from "../../../src/util/logger.js";

export const HOUR = 3_600_000;
/** A fixed, hour-aligned start for synthetic data (2026-11-01T00:00:00Z). */
export const T0 = Date.UTC(2026, 10, 1);

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
    alerts: false,
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
