// The evaluation part of `bench:cluster`: the binned path (stored hourly aggregates when their
// census matches, else the scan) on a window of `rows` rows × 20 numeric features against a
// reference day of as many rows, loaded and timed as in `bench:evaluate`
// (bench/evaluate_window.ts): first = the reference's first evaluation (its rows pulled), cold =
// the first evaluation of a newly created monitor (the reference's kept summary read), warm = the
// same monitor again; medians of 3, once the servers' merges have settled.
import { type SqlEngine } from "../src/store/index.js";
import {
  actor,
  DAY,
  insertBaseRows,
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

const RUNS = 3;

export interface EvaluationFigures {
  insert_s: number;
  first_s: number;
  cold_s: number;
  warm_s: number;
  drift_share: number | null;
  stored: Awaited<ReturnType<typeof storedCoverage>>;
}

export async function evaluateWindow(options: {
  readonly engine: SqlEngine;
  /** Every server whose merges are waited for (each replica of a cluster). */
  readonly settle: readonly SqlEngine[];
  readonly database: string;
  readonly rows: number;
  readonly progress: (line: string) => void;
}): Promise<EvaluationFigures> {
  const { engine, database, rows } = options;
  // The bench:evaluate binned monitor: the window is over its exact-row limit.
  const binned = () => monitorWith(engine, database, Math.min(100_000, rows - 1));
  const [insertSeconds] = await timed(() => insertBaseRows(engine, database, rows));
  for (const server of options.settle) await mergesSettled(server, database, options.progress);
  const warm = binned();
  await warm.setReference("bench", "1", { kind: "fixed", from: T0, to: T0 + DAY }, actor);
  const [first] = await timed(() => warm.evaluate("bench", actor, window)); // builds the profile
  const cold: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    cold.push((await timed(() => binned().evaluate("bench", actor, window)))[0]);
  }
  const [warmSeconds, summary] = await medianOf(RUNS, () => warm.evaluate("bench", actor, window));
  const figures = {
    insert_s: round(insertSeconds),
    first_s: round(first),
    cold_s: round(median(cold)),
    warm_s: round(warmSeconds),
    drift_share: summary[0]?.driftShare ?? null,
    stored: await storedCoverage(engine, database),
  };
  options.progress(`evaluation: ${JSON.stringify(figures)}`);
  return figures;
}
