// `npm run bench:evaluate`: cost of evaluating one window, like for like, as stored data grows.
// 20 numeric features; a 1M-row reference day and a 1M-row window hour (2M stored rows), all
// generated server-side with INSERT … SELECT … FROM numbers(). Two paths, each timed warm and cold
// in the same run, medians of 3 (once background merges have settled):
// - binned: per-bin counts at the reference profile's fine edges, refined from the hourly
//   histograms the materialized views keep at insert time (src/monitor/stored-window.ts; each
//   stage prints whether their census matched and how many features they served), else counted
//   by a scan in ClickHouse;
// - pull-everything: the window's raw values pulled and compared exactly in memory.
// Warm = the same monitor again (reference profile cached); cold = the first evaluation of a newly
// created monitor, in memory nothing cached: the binned path reads the reference's summary that
// ClickHouse keeps (reference_profiles), the pull-everything path pulls the reference's rows and
// builds the profile. The very first evaluation of the reference (no summary kept yet: it pulls
// the reference's rows like pull-everything) is printed once as first_evaluation_s. Then the growth test, the window itself unchanged: stored rows ×10 on
// other days (18M rows on 18 other day partitions), then — those dropped — ×10 inside the window's
// own day (18M rows in its other 23 hours, the same partition as the window), each measured
// again. Prints ONE JSON line; progress on stderr. Targets (printed beside the figures): binned
// warm ≤ 0.5 s, cold ≤ 2 s, ≥ 5× faster than pull-everything warm and cold, growth ≤ 1.2×.
// BENCH_EVALUATE_ROWS scales the window/reference size (default 1e6); BENCH_EVALUATE_BUDGET_S
// (seconds from start) skips the stages that would start later, naming them under not_measured.
import { randomBytes } from "node:crypto";
import {
  applyMigrations,
  createHttpEngine,
  dropDatabase,
  raw,
  sql,
  tableRef,
  type SqlEngine,
} from "../src/store/index.js";
import {
  actor,
  DAY,
  FEATURES,
  insertBaseRows,
  insertRows,
  median,
  medianOf,
  mergesSettled,
  monitorWith,
  round,
  storedCoverage,
  T0,
  timed,
  window,
} from "./evaluate_window.js";

const log = (line: string): void => {
  process.stderr.write(`bench:evaluate: ${line}\n`);
};
const ROWS = Number(process.env.BENCH_EVALUATE_ROWS ?? 1_000_000);
const BUDGET_S = Number(process.env.BENCH_EVALUATE_BUDGET_S ?? Number.POSITIVE_INFINITY);
const url = process.env.DRIFTWATCH_CLICKHOUSE_URL ?? "http://localhost:8123";
const RUNS = 3;

type Monitor = ReturnType<typeof monitorWith>;

/** One stage's four medians (seconds). */
interface StageFigures {
  binned_warm_s: number;
  binned_cold_s: number;
  pull_everything_warm_s: number;
  pull_everything_cold_s: number;
  speedup_warm: number;
  speedup_cold: number;
  drift_share: number | null;
  stored: Awaited<ReturnType<typeof storedCoverage>>;
}

/** The monitors kept warm across stages (one per path). */
interface WarmMonitors {
  binned: Monitor;
  exact: Monitor;
}

/**
 * Both paths, warm and cold, medians of RUNS. Cold runs alternate between the paths, each on a
 * newly created monitor, so neither gets the other's caches or a quieter moment.
 */
async function measureStage(
  engine: SqlEngine,
  database: string,
  warm: WarmMonitors,
  stage: string,
): Promise<StageFigures> {
  const coldBinned: number[] = [];
  const coldExact: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    coldBinned.push(
      (await timed(() => binnedMonitor(engine, database).evaluate("bench", actor, window)))[0],
    );
    coldExact.push(
      (await timed(() => exactMonitor(engine, database).evaluate("bench", actor, window)))[0],
    );
  }
  const [warmBinned, summary] = await medianOf(RUNS, () =>
    warm.binned.evaluate("bench", actor, window),
  );
  const [warmExact] = await medianOf(RUNS, () => warm.exact.evaluate("bench", actor, window));
  const figures: StageFigures = {
    binned_warm_s: round(warmBinned),
    binned_cold_s: round(median(coldBinned)),
    pull_everything_warm_s: round(warmExact),
    pull_everything_cold_s: round(median(coldExact)),
    speedup_warm: round(warmExact / warmBinned),
    speedup_cold: round(median(coldExact) / median(coldBinned)),
    drift_share: summary[0]?.driftShare ?? null,
    stored: await storedCoverage(engine, database),
  };
  log(`${stage}: ${JSON.stringify(figures)}`);
  return figures;
}

const binnedMonitor = (engine: SqlEngine, database: string) =>
  monitorWith(engine, database, Math.min(100_000, ROWS - 1));
const exactMonitor = (engine: SqlEngine, database: string) =>
  monitorWith(engine, database, 10 * ROWS);

/** 18 × ROWS more rows, ROWS per insert, spread over `from`…`to` in equal slices. */
async function grow(
  engine: SqlEngine,
  database: string,
  from: number,
  to: number,
): Promise<number> {
  const [seconds] = await timed(async () => {
    const slices = 18;
    const step = Math.floor((to - from) / slices);
    for (let slice = 0; slice < slices; slice++) {
      await insertRows(engine, database, {
        model: "bench",
        from: from + slice * step,
        to: from + (slice + 1) * step,
        rows: ROWS,
        seed: 10 + slice + (from === window.to ? 100 : 0),
        shift: 0,
      });
    }
  });
  await mergesSettled(engine, database, log);
  return seconds;
}

/** Drop the day partitions after the window's day (the other-days growth). */
async function dropLaterDays(engine: SqlEngine, database: string): Promise<void> {
  const predictions = tableRef(database, "predictions");
  const days = await engine.query<{ day: number }>(
    sql`SELECT DISTINCT toYYYYMMDD(ts) AS day FROM ${predictions} WHERE ts >= toDateTime(${Math.floor((T0 + 2 * DAY) / 1000)})`,
  );
  for (const { day } of days) {
    await engine.command(
      sql`ALTER TABLE ${predictions} DROP PARTITION ${raw(String(Number(day)))}`,
    );
  }
}

async function storedRows(engine: SqlEngine, database: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(
    sql`SELECT count() AS n FROM ${tableRef(database, "predictions")}`,
  );
  return Number(row?.n ?? 0);
}

async function main(): Promise<void> {
  const started = performance.now();
  const overBudget = (): boolean => (performance.now() - started) / 1000 > BUDGET_S;
  const engine = createHttpEngine({ url, requestTimeoutMs: 1_800_000 });
  const database = `dw_bench_evaluate_${randomBytes(4).toString("hex")}`;
  const notMeasured: Record<string, string> = {};
  const stages: Record<string, StageFigures> = {};
  const stored: Record<string, number> = {};
  const insertSeconds: Record<string, number> = {};
  try {
    await applyMigrations(engine, database);
    log(`inserting ${ROWS} reference rows and ${ROWS} window rows (${FEATURES} features)`);
    [insertSeconds.base] = await timed(() => insertBaseRows(engine, database, ROWS));
    await mergesSettled(engine, database, log);
    const warm = { binned: binnedMonitor(engine, database), exact: exactMonitor(engine, database) };
    await warm.binned.setReference("bench", "1", { kind: "fixed", from: T0, to: T0 + DAY }, actor);
    // The reference's first evaluation: no summary kept yet, its rows pulled (warms the caches).
    const [firstEvaluation] = await timed(() => warm.binned.evaluate("bench", actor, window));
    await warm.exact.evaluate("bench", actor, window);
    stored.base = await storedRows(engine, database);
    stages.base = await measureStage(engine, database, warm, `at ${stored.base} stored rows`);

    if (overBudget()) {
      notMeasured.other_days = `budget of ${BUDGET_S} s (BENCH_EVALUATE_BUDGET_S) spent before this stage`;
    } else {
      log(`inserting ${18 * ROWS} rows on 18 other days (stored rows ×10)`);
      insertSeconds.other_days = await grow(engine, database, T0 + 2 * DAY, T0 + 20 * DAY);
      stored.other_days = await storedRows(engine, database);
      stages.other_days = await measureStage(
        engine,
        database,
        warm,
        `at ${stored.other_days} stored rows, growth on other days`,
      );
      await dropLaterDays(engine, database);
    }

    if (overBudget()) {
      notMeasured.same_day = `budget of ${BUDGET_S} s (BENCH_EVALUATE_BUDGET_S) spent before this stage`;
    } else {
      log(`inserting ${18 * ROWS} rows in the window's day, its other 23 hours (stored rows ×10)`);
      insertSeconds.same_day = await grow(engine, database, window.to, T0 + 2 * DAY);
      stored.same_day = await storedRows(engine, database);
      stages.same_day = await measureStage(
        engine,
        database,
        warm,
        `at ${stored.same_day} stored rows, growth inside the window's day`,
      );
    }

    const growth = (stage: string, figure: "binned_warm_s" | "binned_cold_s") => {
      const grown = stages[stage]?.[figure];
      return grown === undefined ? null : round(grown / stages.base![figure]);
    };
    process.stdout.write(
      `${JSON.stringify({
        bench: "evaluate",
        features: FEATURES,
        window_rows: ROWS,
        reference_rows: ROWS,
        runs_per_median: RUNS,
        stored_rows: stored,
        insert_seconds: Object.fromEntries(
          Object.entries(insertSeconds).map(([stage, seconds]) => [stage, round(seconds)]),
        ),
        // The headline figures, at 2M stored rows.
        first_evaluation_s: round(firstEvaluation),
        binned_warm_s: stages.base.binned_warm_s,
        binned_cold_s: stages.base.binned_cold_s,
        pull_everything_warm_s: stages.base.pull_everything_warm_s,
        pull_everything_cold_s: stages.base.pull_everything_cold_s,
        speedup_warm: stages.base.speedup_warm,
        speedup_cold: stages.base.speedup_cold,
        growth_other_days_warm: growth("other_days", "binned_warm_s"),
        growth_same_day_warm: growth("same_day", "binned_warm_s"),
        growth_other_days_cold: growth("other_days", "binned_cold_s"),
        growth_same_day_cold: growth("same_day", "binned_cold_s"),
        stages,
        targets: {
          binned_warm_s: 0.5,
          binned_cold_s: 2,
          speedup_warm: 5,
          speedup_cold: 5,
          growth: 1.2,
        },
        ...(Object.keys(notMeasured).length === 0 ? {} : { not_measured: notMeasured }),
        server: await engine.serverVersion(),
      })}\n`,
    );
  } finally {
    await dropDatabase(engine, database);
    await engine.close();
  }
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
