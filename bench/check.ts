// `npm run bench:check`: `driftwatch check --json` on 1,000,000 reference rows × 1,000,000 current
// rows × 20 numeric features (CSV), against the numpy/scipy baseline (bench/check_scipy.py), the
// strongest numpy rival (bench/check_numpy_sorted.py: pandas' reader, one sort per column, every
// statistic derived from the sorted arrays) and, when it installs, Evidently's data drift report
// (wall time and its compute-only time), all on the same files in the same run; every figure check
// prints is compared with each rival's (bench/check_compare.ts; KS p-values included); then the
// same files in 20 chunks (--chunk-size 50000); then performance estimation (--task binary, 20
// chunks) on 1M × 1M rows of a classifier against NannyML 0.13.1's CBPE (bench/check_nannyml.py)
// on the same files. Prints ONE JSON line: {check_s, scipy_s, ratio_vs_scipy, numpy_sorted_s,
// times_faster_than_numpy_sorted, evidently_s, evidently_compute_s, ratio_vs_evidently, peak_rss_mb,
// rivals: {…: {s, read_s, compute_s, figures_vs_check}}, chunked_s, estimation_s, nannyml_s,
// times_faster_than_nannyml, estimation_load_1m, nannyml_load_1m, …}. Targets: ratio_vs_scipy ≤ 1.5, numpy one-sort ≥ 2× slower,
// Evidently ≥ 10× slower, NannyML ≥ 5× slower (medians of BENCH_REPEATS=3 runs each), peak RSS ≤ 2 GB.
// DRIFTWATCH_BENCH_SKIP_EVIDENTLY=1 / _SKIP_NANNYML=1 skip those.
// Progress goes to stderr. Data and virtualenvs live in bench/out/ (gitignored, reused).
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { agreementFigures, compareFigures, type FiguresDocument } from "./check_compare.js";
import { ensureBenchData } from "./check_data.js";
import { measure } from "./check_measure.js";
import { ensureModelData } from "./check_model_data.js";
import { pythonWith } from "./check_python.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(root, "bench", "out");
const log = (line: string): void => {
  process.stderr.write(`bench:check: ${line}\n`);
};
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** A Python rival's document: the figures, and where its time went. */
interface RivalDocument extends FiguresDocument {
  read_s: number;
  compute_s: number;
}

/** One Python rival timed on the same files, its figures compared with check's. */
async function timeRival(
  python: string,
  script: string,
  name: string,
  reference: string,
  current: string,
  checkDocument: FiguresDocument,
  checkSeconds: number,
): Promise<Record<string, unknown>> {
  log(`timing ${name} (bench/${script})`);
  const run = await measure(python, [join(root, "bench", script), reference, current]);
  if (run.code !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  const document = JSON.parse(run.stdout) as RivalDocument;
  const agreement = compareFigures(checkDocument, document);
  log(
    `${name}: ${run.seconds.toFixed(2)} s (read ${document.read_s.toFixed(2)} s, compute ` +
      `${document.compute_s.toFixed(2)} s), peak RSS ${run.peakRssMb?.toFixed(0)} MB; figures ` +
      `${JSON.stringify(agreementFigures(agreement))}`,
  );
  return {
    s: round(run.seconds),
    read_s: round(document.read_s),
    compute_s: round(document.compute_s),
    peak_rss_mb: run.peakRssMb === null ? null : round(run.peakRssMb, 0),
    times_slower_than_check: round(run.seconds / checkSeconds, 2),
    figures_vs_check: agreementFigures(agreement),
  };
}

/** The built `driftwatch check` with `args` (JSON out, no progress), timed; exit 0 or 1 expected. */
async function runCheck(
  what: string,
  args: readonly string[],
): Promise<Awaited<ReturnType<typeof measure>>> {
  const run = await measure(process.execPath, [
    join(root, "dist", "src", "cli", "main.js"),
    "check",
    ...args,
    "--json",
    "--no-progress",
  ]);
  if (run.code !== 0 && run.code !== 1) {
    throw new Error(`driftwatch ${what} failed (exit ${run.code}): ${run.stderr}`);
  }
  return run;
}

async function main(): Promise<void> {
  log("preparing data (generated once into bench/out/)");
  const { reference, current } = await ensureBenchData(outDir);

  log("timing driftwatch check --json");
  const check = await runCheck("check", ["--reference", reference, "--current", current]);
  const checkDocument = JSON.parse(check.stdout) as FiguresDocument;
  log(
    `driftwatch check: ${check.seconds.toFixed(2)} s, peak RSS ${check.peakRssMb?.toFixed(0)} MB`,
  );

  // scipy's functions, then the strongest numpy rival (one sort per column), same interpreter.
  const scipyPython = pythonWith(
    "numpy, scipy, pandas",
    ["numpy", "scipy", "pandas"],
    join(outDir, "venv-scipy"),
    { preferSystem: true, log },
  );
  const rival = (script: string, name: string) =>
    scipyPython === null
      ? Promise.resolve(null)
      : timeRival(scipyPython, script, name, reference, current, checkDocument, check.seconds);
  const scipy = await rival("check_scipy.py", "numpy/scipy");
  const numpySorted = await rival("check_numpy_sorted.py", "numpy, one sort per column");

  let evidently: Record<string, unknown> | null = null;
  let evidentlyNote: string | undefined;
  if (process.env.DRIFTWATCH_BENCH_SKIP_EVIDENTLY === "1") {
    evidentlyNote = "skipped (DRIFTWATCH_BENCH_SKIP_EVIDENTLY=1)";
  } else {
    const evidentlyPython = pythonWith(
      "evidently, pandas",
      ["evidently", "pandas<3"],
      join(outDir, "venv-evidently"),
      { preferSystem: false, log },
    );
    if (evidentlyPython === null) {
      evidentlyNote = "evidently did not install";
    } else {
      try {
        evidently = await timeRival(
          evidentlyPython,
          "check_evidently.py",
          "Evidently's data drift report",
          reference,
          current,
          checkDocument,
          check.seconds,
        );
      } catch (error) {
        evidentlyNote = `evidently failed: ${(error instanceof Error ? error.message : String(error)).trim().split("\n").slice(-1)[0] ?? ""}`;
        log(evidentlyNote);
      }
    }
  }

  const chunked = await timeChunked(reference, current);
  const estimation = await timeEstimation();

  const seconds = (run: Record<string, unknown> | null): number | null =>
    run === null ? null : (run.s as number);
  const scipySeconds = seconds(scipy);
  const numpySeconds = seconds(numpySorted);
  const evidentlySeconds = seconds(evidently);
  const figures = {
    check_s: round(check.seconds),
    scipy_s: scipySeconds,
    ratio_vs_scipy: scipySeconds === null ? null : round(check.seconds / scipySeconds, 3),
    numpy_sorted_s: numpySeconds,
    times_faster_than_numpy_sorted:
      numpySeconds === null ? null : round(numpySeconds / check.seconds, 2),
    evidently_s: evidentlySeconds,
    evidently_compute_s: evidently === null ? null : evidently.compute_s,
    ratio_vs_evidently:
      evidentlySeconds === null ? null : round(check.seconds / evidentlySeconds, 4),
    times_faster_than_evidently:
      evidentlySeconds === null ? null : round(evidentlySeconds / check.seconds, 1),
    peak_rss_mb: check.peakRssMb === null ? null : round(check.peakRssMb, 0),
    rows: 1_000_000,
    features: 20,
    targets: {
      ratio_vs_scipy: 1.5,
      times_faster_than_numpy_sorted: 2,
      times_faster_than_evidently: 10,
      times_faster_than_nannyml: 5,
      peak_rss_mb: 2048,
    },
    rivals: { scipy, numpy_sorted: numpySorted, evidently },
    ...(evidentlyNote === undefined ? {} : { evidently_note: evidentlyNote }),
    ...chunked,
    ...estimation,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

const CHUNK_ROWS = 50_000; // 20 chunks of the 1M-row current file

/** The drift run again in 20 chunks (each compared with the whole reference). */
async function timeChunked(reference: string, current: string): Promise<Record<string, unknown>> {
  log(`timing driftwatch check --chunk-size ${CHUNK_ROWS} (20 chunks)`);
  const run = await runCheck("check --chunk-size", [
    "--reference",
    reference,
    "--current",
    current,
    "--chunk-size",
    String(CHUNK_ROWS),
  ]);
  const chunks = (JSON.parse(run.stdout) as { chunks: unknown[] }).chunks.length;
  log(
    `chunked: ${run.seconds.toFixed(2)} s, ${chunks} chunks, peak RSS ${run.peakRssMb?.toFixed(0)} MB`,
  );
  return {
    chunked_s: round(run.seconds),
    chunked_chunks: chunks,
    chunked_peak_rss_mb: run.peakRssMb === null ? null : round(run.peakRssMb, 0),
  };
}

interface EstimatedChunk {
  performance: { estimated: Record<string, { value: number | null; alert: boolean }> };
}

/** Runs of the estimation and of NannyML each (BENCH_REPEATS, default 3): medians compared. */
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));

/** The run of median time (the lower middle one of an even count). */
function medianRun<T extends { readonly seconds: number }>(runs: readonly T[]): T {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Performance estimation in 20 chunks against NannyML's CBPE on the same model files. */
async function timeEstimation(): Promise<Record<string, unknown>> {
  log("preparing the model files (generated once into bench/out/)");
  const { reference, current } = await ensureModelData(outDir);
  log(`timing driftwatch check --task binary --chunk-size ${CHUNK_ROWS}`);
  // The machine may be shared: the 1-minute load average as each timed run starts.
  const estimationLoad = round(loadavg()[0]!);
  const estimate = () =>
    runCheck("check --task binary", [
      "--reference",
      reference,
      "--current",
      current,
      "--chunk-size",
      String(CHUNK_ROWS),
      "--task",
      "binary",
      "--score-column",
      "score",
      "--prediction-column",
      "prediction",
      "--label-column",
      "label",
    ]);
  // Medians of REPEATS runs each (the machine may be shared: one busy moment skews one run).
  const runs = [];
  for (let k = 0; k < REPEATS; k++) runs.push(await estimate());
  const run = medianRun(runs);
  const chunks = (JSON.parse(run.stdout) as { chunks: EstimatedChunk[] }).chunks;
  const alerts = chunks.filter((chunk) => chunk.performance.estimated.accuracy?.alert).length;
  log(
    `estimation: median ${run.seconds.toFixed(2)} s of ${runs.map((r) => r.seconds.toFixed(2)).join(", ")}, peak RSS ${run.peakRssMb?.toFixed(0)} MB, ` +
      `accuracy alerts in ${alerts} of ${chunks.length} chunks`,
  );
  const figures: Record<string, unknown> = {
    estimation_s: round(run.seconds),
    estimation_runs_s: runs.map((r) => round(r.seconds)),
    estimation_load_1m: estimationLoad,
    estimation_peak_rss_mb: run.peakRssMb === null ? null : round(run.peakRssMb, 0),
    estimation_rows: 1_000_000,
    estimation_chunks: chunks.length,
    estimation_accuracy_alerts: alerts,
  };
  if (process.env.DRIFTWATCH_BENCH_SKIP_NANNYML === "1") {
    return { ...figures, nannyml_note: "skipped (DRIFTWATCH_BENCH_SKIP_NANNYML=1)" };
  }
  const python = pythonWith(
    "nannyml, pandas",
    ["nannyml==0.13.1", "statsmodels"],
    join(outDir, "venv-nannyml"),
    { preferSystem: false, log },
  );
  if (python === null) return { ...figures, nannyml_note: "nannyml did not install" };
  log("timing NannyML 0.13.1 CBPE on the same files");
  const nannymlLoad = round(loadavg()[0]!);
  const nannymlRuns = [];
  for (let k = 0; k < REPEATS; k++) {
    const attempt = await measure(
      python,
      [join(root, "bench", "check_nannyml.py"), reference, current, String(CHUNK_ROWS)],
      { timeoutMs: 3_600_000 },
    );
    nannymlRuns.push(attempt);
    if (attempt.code !== 0) break;
  }
  const failed = nannymlRuns.find((attempt) => attempt.code !== 0);
  const nannyml = failed ?? medianRun(nannymlRuns);
  if (nannyml.code !== 0) {
    const reason = nannyml.timedOut
      ? "nannyml did not finish within an hour"
      : `nannyml failed: ${nannyml.stderr.trim().split("\n").slice(-1)[0] ?? ""}`;
    log(reason);
    return { ...figures, nannyml_note: reason };
  }
  const theirs = JSON.parse(nannyml.stdout) as {
    read_s: number;
    fit_s: number;
    estimate_s: number;
    chunks: Record<string, { value: number[]; alert: boolean[] }>;
  };
  // How far the two estimates are apart, per metric, over the chunks (calibration may differ).
  const differences: Record<string, number> = {};
  for (const [metric, { value }] of Object.entries(theirs.chunks)) {
    let largest = 0;
    value.forEach((nannymlValue, index) => {
      const ours = chunks[index]?.performance.estimated[metric]?.value;
      if (typeof ours === "number") largest = Math.max(largest, Math.abs(ours - nannymlValue));
    });
    differences[metric] = Number(largest.toPrecision(2));
  }
  log(
    `NannyML: ${nannyml.seconds.toFixed(2)} s (read ${theirs.read_s.toFixed(1)} s, fit ` +
      `${theirs.fit_s.toFixed(1)} s, estimate ${theirs.estimate_s.toFixed(1)} s), peak RSS ` +
      `${nannyml.peakRssMb?.toFixed(0)} MB`,
  );
  return {
    ...figures,
    nannyml_s: round(nannyml.seconds),
    nannyml_runs_s: nannymlRuns.map((r) => round(r.seconds)),
    nannyml_load_1m: nannymlLoad,
    nannyml_read_s: round(theirs.read_s),
    nannyml_fit_s: round(theirs.fit_s),
    nannyml_estimate_s: round(theirs.estimate_s),
    nannyml_peak_rss_mb: nannyml.peakRssMb === null ? null : round(nannyml.peakRssMb, 0),
    times_faster_than_nannyml: round(nannyml.seconds / run.seconds, 1),
    nannyml_accuracy_alerts: theirs.chunks.accuracy?.alert.filter(Boolean).length ?? null,
    max_abs_diff_vs_nannyml: differences,
  };
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
