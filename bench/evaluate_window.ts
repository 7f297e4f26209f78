// The data and timing pieces shared by the evaluation benchmarks (`bench:evaluate`,
// `bench:cluster`): a 20-feature window generated server-side with INSERT … SELECT … FROM
// numbers() (through the fixed table names, so through the Distributed tables on a cluster), the
// bench monitor, timings and medians, and waiting for background merges to settle.
import { Registry } from "prom-client";
import { parseConfig } from "../src/config/index.js";
import { createMonitor } from "../src/monitor/index.js";
import { ReferenceProfiles } from "../src/monitor/reference-profile.js";
import { referenceSource } from "../src/monitor/reference-store.js";
import { predictionsSource } from "../src/monitor/row-source.js";
import { readStoredWindow } from "../src/monitor/stored-window.js";
import { settleSource } from "../src/monitor/window-data.js";
import { raw, sql, tableRef, type SqlEngine } from "../src/store/index.js";
import { createLogger } from "../src/util/logger.js";

export const FEATURES = 20;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.UTC(2026, 9, 1);
export const actor = { name: "bench" };
/** The evaluated hour: the day after the reference day T0. */
export const window = { from: T0 + DAY, to: T0 + DAY + HOUR };

export async function insertRows(
  engine: SqlEngine,
  database: string,
  options: { from: number; to: number; rows: number; seed: number; shift: number; model: string },
): Promise<void> {
  const names = Array.from({ length: FEATURES }, (_, i) => `f${i}`);
  const seed = raw(`(number * ${FEATURES} + i + ${options.seed * 1_000_000_000})`);
  const span = Math.floor((options.to - options.from) / 1000);
  await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  (model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
   missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
   kafka_offset, ingested_at)
  SELECT ${options.model}, '1', concat(${String(options.seed)}, '-', toString(number)),
    toDateTime(${Math.floor(options.from / 1000)} + intDiv(number * ${span}, ${options.rows})), 0,
    ${names},
    arrayMap(i -> sqrt(-2 * log((intHash64(${seed}) % 1000000 + 1) / 1000001))
      * cos(2 * pi() * (intHash64(${seed} + 7) % 1000000) / 1000000) + ${options.shift} * (i % 2), range(${FEATURES})),
    CAST([] AS Array(String)), CAST([] AS Array(String)), CAST([] AS Array(String)),
    NULL, NULL, NULL, NULL, 'bench', 0, number, now()
  FROM numbers(${options.rows})`);
}

export function monitorWith(engine: SqlEngine, database: string, exactRowLimit: number) {
  const config = parseConfig(
    `clickhouse: {database: ${database}}\nalerts: {enabled: false}\nmodels:\n  - name: bench\n    interval: 1h\n    minRows: 1\n    exactRowLimit: ${exactRowLimit}\n`,
    { env: {} },
  );
  return createMonitor({
    config,
    engine,
    registry: new Registry(),
    logger: createLogger("bench-evaluate", "warn"),
  });
}

export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const began = performance.now();
  const result = await work();
  return [(performance.now() - began) / 1000, result];
}

/** Median time of `runs` runs (a fraction of a second of noise matters at this scale). */
export async function medianOf<T>(runs: number, work: () => Promise<T>): Promise<[number, T]> {
  const times: number[] = [];
  let result: T | undefined;
  for (let run = 0; run < runs; run++) {
    const [seconds, value] = await timed(work);
    times.push(seconds);
    result = value;
  }
  times.sort((a, b) => a - b);
  return [times[Math.floor(runs / 2)]!, result!];
}

/**
 * Wait until ClickHouse has no merge running on the database, so both measurements see settled
 * parts rather than racing the background merges of a fresh insert.
 */
export async function mergesSettled(
  engine: SqlEngine,
  database: string,
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const [row] = await engine.query<{ n: number }>(
      sql`SELECT count() AS n FROM system.merges WHERE database = ${database}`,
    );
    if (Number(row?.n ?? 0) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  log("merges still running after 5 min; measuring anyway");
}

/**
 * The base data: `rows` reference rows over day T0 and `rows` window rows in `window` (features
 * of odd index shifted by 0.3, so about half of them drift).
 */
export async function insertBaseRows(
  engine: SqlEngine,
  database: string,
  rows: number,
): Promise<void> {
  await insertRows(engine, database, {
    model: "bench",
    from: T0,
    to: T0 + DAY,
    rows,
    seed: 1,
    shift: 0,
  });
  await insertRows(engine, database, {
    model: "bench",
    from: window.from,
    to: window.to,
    rows,
    seed: 2,
    shift: 0.3,
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * Which path the binned evaluation of `window` takes (not timed): whether the stored hourly
 * aggregates' census matches the window's events, and how many numeric features are refined from
 * stored cells rather than scanned.
 */
export async function storedCoverage(
  engine: SqlEngine,
  database: string,
): Promise<{ census_matches: boolean; stored_features: number; scanned_features: string[] }> {
  const settled = await settleSource(
    engine,
    predictionsSource(database, "bench", "1", window.from, window.to),
  );
  const stored =
    settled.census === undefined
      ? undefined
      : await readStoredWindow(engine, settled.source.window!)?.verify(settled.census);
  if (stored === undefined)
    return { census_matches: false, stored_features: 0, scanned_features: [] };
  // The bench's fixed reference, named as the evaluator names it (so its kept summary is read).
  const reference = referenceSource(
    database,
    { model: "bench", modelVersion: "1", kind: "fixed", referenceId: "", from: T0, to: T0 + DAY },
    window.from,
  );
  const profile = await new ReferenceProfiles(engine, database).load(
    reference.key,
    reference.source,
    reference.durationMs,
    { categoricalNumbers: [], maxRows: 1_000_000, values: false, lasting: true },
  );
  const { histograms, scan } = await stored.histograms(
    [...profile.numeric].map(([feature, reference]) => ({
      feature,
      edges: reference.fineEdges,
      range: reference,
    })),
  );
  return { census_matches: true, stored_features: histograms.size, scanned_features: scan };
}
