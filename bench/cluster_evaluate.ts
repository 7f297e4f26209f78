// The evaluation part of `bench:cluster`: today's evaluation path (binned) on a window of `rows`
// rows × 20 numeric features against a reference day of as many rows, loaded and timed as in
// `bench:evaluate` (bench/evaluate_window.ts): cold = the first evaluation of a newly created
// monitor, warm = the same monitor again; medians of 3, once the servers' merges have settled.
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
  T0,
  timed,
  window,
} from "./evaluate_window.js";

const RUNS = 3;

export interface EvaluationFigures {
  insert_s: number;
  cold_s: number;
  warm_s: number;
  drift_share: number | null;
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
  await warm.evaluate("bench", actor, window); // builds the cached reference profile
  const cold: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    cold.push((await timed(() => binned().evaluate("bench", actor, window)))[0]);
  }
  const [warmSeconds, summary] = await medianOf(RUNS, () => warm.evaluate("bench", actor, window));
  const figures = {
    insert_s: round(insertSeconds),
    cold_s: round(median(cold)),
    warm_s: round(warmSeconds),
    drift_share: summary[0]?.driftShare ?? null,
  };
  options.progress(`evaluation: ${JSON.stringify(figures)}`);
  return figures;
}
