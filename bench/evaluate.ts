// `npm run bench:evaluate`: cost of evaluating one window as stored data grows. 20 numeric
// features; a 1M-row reference day and a 1M-row window hour (2M stored rows), then 18M more rows
// on other days (20M stored), all generated server-side with INSERT … SELECT … FROM numbers().
// Reports, in one run: the monitor's evaluation (binned path: per-bin counts in ClickHouse,
// reference profile cached; median of 3 runs, once background merges have settled) at 2M and at
// 20M stored rows, and the pull-everything path (raw reference and window values pulled,
// compared exactly in memory). Targets: ≥ 5× faster than
// pull-everything; ≤ 1.2× slower at 10× the stored rows. Prints ONE JSON line; progress on stderr.
// BENCH_EVALUATE_ROWS scales the window/reference size (default 1e6).
import { randomBytes } from "node:crypto";
import { Registry } from "prom-client";
import { parseConfig } from "../src/config/index.js";
import { createMonitor } from "../src/monitor/index.js";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  raw,
  sql,
  tableRef,
  type SqlEngine,
} from "../src/store/index.js";
import { createLogger } from "../src/util/logger.js";

const log = (line: string): void => {
  process.stderr.write(`bench:evaluate: ${line}\n`);
};
const ROWS = Number(process.env.BENCH_EVALUATE_ROWS ?? 1_000_000);
const FEATURES = 20;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 9, 1);
const url = process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123";

async function insertRows(
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

function monitorWith(engine: SqlEngine, database: string, exactRowLimit: number) {
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

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const began = performance.now();
  const result = await work();
  return [(performance.now() - began) / 1000, result];
}

/** Median time of `runs` runs (a fraction of a second of noise matters at this scale). */
async function medianOf<T>(runs: number, work: () => Promise<T>): Promise<[number, T]> {
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
async function mergesSettled(engine: SqlEngine, database: string): Promise<void> {
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

const RUNS = 3;

async function main(): Promise<void> {
  const engine = createHttpEngine({ url, requestTimeoutMs: 1_800_000 });
  const database = `dw_bench_evaluate_${randomBytes(4).toString("hex")}`;
  const actor = { name: "bench" };
  const window = { from: T0 + DAY, to: T0 + DAY + HOUR };
  try {
    await applyMigrations(engine, database);
    log(`inserting ${ROWS} reference rows and ${ROWS} window rows (${FEATURES} features)`);
    const [insertSmall] = await timed(async () => {
      await insertRows(engine, database, {
        model: "bench",
        from: T0,
        to: T0 + DAY,
        rows: ROWS,
        seed: 1,
        shift: 0,
      });
      await insertRows(engine, database, {
        model: "bench",
        from: window.from,
        to: window.to,
        rows: ROWS,
        seed: 2,
        shift: 0.3,
      });
    });

    await mergesSettled(engine, database);
    const binned = monitorWith(engine, database, 100_000);
    await binned.setReference("bench", "1", { kind: "fixed", from: T0, to: T0 + DAY }, actor);
    const [coldBinned] = await timed(() => binned.evaluate("bench", actor, window));
    const [warmSmall, summary] = await medianOf(RUNS, () =>
      binned.evaluate("bench", actor, window),
    );
    log(
      `binned: cold ${coldBinned.toFixed(2)} s (reference profile built), warm ${warmSmall.toFixed(2)} s (median of ${RUNS}), drift share ${summary[0]?.driftShare}`,
    );

    log(`inserting ${9 * 2 * ROWS} more rows on other days (stored rows ×10)`);
    const [insertLarge] = await timed(async () => {
      for (let day = 2; day < 20; day++) {
        await insertRows(engine, database, {
          model: "bench",
          from: T0 + day * DAY,
          to: T0 + (day + 1) * DAY,
          rows: ROWS,
          seed: 10 + day,
          shift: 0,
        });
      }
    });
    await mergesSettled(engine, database);
    const [warmLarge] = await medianOf(RUNS, () => binned.evaluate("bench", actor, window));
    log(`binned at 10× stored rows: ${warmLarge.toFixed(2)} s (median of ${RUNS})`);

    // Last, so the gigabyte of raw values it holds cannot slow the binned measurements (GC).
    const exact = monitorWith(engine, database, 10 * ROWS);
    const [pullEverything] = await timed(() => exact.evaluate("bench", actor, window));
    log(`pull-everything exact path (20M stored rows): ${pullEverything.toFixed(2)} s`);

    process.stdout.write(
      `${JSON.stringify({
        bench: "evaluate",
        features: FEATURES,
        window_rows: ROWS,
        reference_rows: ROWS,
        stored_rows_small: 2 * ROWS,
        stored_rows_large: 20 * ROWS,
        insert_seconds_small: round(insertSmall),
        insert_seconds_large: round(insertLarge),
        evaluate_seconds_cold: round(coldBinned),
        evaluate_seconds: round(warmSmall),
        evaluate_seconds_large: round(warmLarge),
        pull_everything_seconds: round(pullEverything),
        // Both at 20M stored rows (the pull-everything path reads the same rows at any size).
        speedup_vs_pull_everything: round(pullEverything / warmLarge),
        speedup_vs_pull_everything_at_2m: round(pullEverything / warmSmall),
        speedup_vs_pull_everything_cold: round(pullEverything / coldBinned),
        growth_at_10x_stored: round(warmLarge / warmSmall),
        targets: { speedup_vs_pull_everything: 5, growth_at_10x_stored: 1.2 },
        server: await engine.serverVersion(),
      })}\n`,
    );
  } finally {
    await dropDatabase(engine, database);
    await engine.close();
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

await main();
