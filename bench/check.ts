// `npm run bench:check`: `driftwatch check --json` on 1,000,000 reference rows × 1,000,000 current
// rows × 20 numeric features (CSV), against the numpy/scipy baseline (bench/check_scipy.py) and,
// when it installs, Evidently's data drift report, all on the same files in the same run.
// Prints ONE JSON line: {check_s, scipy_s, ratio_vs_scipy, evidently_s, ratio_vs_evidently,
// peak_rss_mb, …}. Targets: ratio_vs_scipy ≤ 1.5, Evidently ≥ 10× slower, peak RSS ≤ 2 GB.
// Progress goes to stderr. Data and virtualenvs live in bench/out/ (gitignored, reused).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBenchData } from "./check_data.js";
import { measure } from "./check_measure.js";
import { pythonWith } from "./check_python.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outDir = join(root, "bench", "out");
const log = (line: string): void => {
  process.stderr.write(`bench:check: ${line}\n`);
};
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

interface Figures {
  columns: Record<string, Record<string, unknown>>;
}

/** Largest relative difference between the figures both tools report, over all columns. */
function largestRelativeDifference(check: Figures, scipy: Figures): number {
  let largest = 0;
  const compare = (a: unknown, b: unknown): void => {
    if (typeof a === "number" && typeof b === "number") {
      const scale = Math.max(Math.abs(a), Math.abs(b));
      if (scale > 1e-300) largest = Math.max(largest, Math.abs(a - b) / scale);
    } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
      for (const key of Object.keys(b))
        compare((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
    }
  };
  for (const [name, column] of Object.entries(scipy.columns)) {
    const { ks, ...rest } = column; // p-values are compared separately (1e-4 contract)
    void ks;
    compare(check.columns[name], rest);
  }
  return largest;
}

async function main(): Promise<void> {
  log("preparing data (generated once into bench/out/)");
  const { reference, current } = await ensureBenchData(outDir);

  log("timing driftwatch check --json");
  const check = await measure(process.execPath, [
    join(root, "dist", "src", "cli", "main.js"),
    "check",
    "--reference",
    reference,
    "--current",
    current,
    "--json",
    "--no-progress",
  ]);
  if (check.code !== 0 && check.code !== 1) {
    throw new Error(`driftwatch check failed (exit ${check.code}): ${check.stderr}`);
  }
  const checkDocument = JSON.parse(check.stdout) as Figures;
  log(
    `driftwatch check: ${check.seconds.toFixed(2)} s, peak RSS ${check.peakRssMb?.toFixed(0)} MB`,
  );

  const scipyPython = pythonWith(
    "numpy, scipy, pandas",
    ["numpy", "scipy", "pandas"],
    join(outDir, "venv-scipy"),
    {
      preferSystem: true,
      log,
    },
  );
  let scipySeconds: number | null = null;
  let agreement: number | null = null;
  if (scipyPython !== null) {
    log("timing the numpy/scipy baseline");
    const scipy = await measure(scipyPython, [
      join(root, "bench", "check_scipy.py"),
      reference,
      current,
    ]);
    if (scipy.code !== 0) throw new Error(`check_scipy.py failed: ${scipy.stderr}`);
    scipySeconds = scipy.seconds;
    agreement = largestRelativeDifference(checkDocument, JSON.parse(scipy.stdout) as Figures);
    log(
      `numpy/scipy: ${scipy.seconds.toFixed(2)} s (largest relative difference of figures ${agreement.toExponential(1)})`,
    );
  }

  let evidentlySeconds: number | null = null;
  let evidentlyNote: string | undefined;
  if (process.env.DRIFTWATCH_BENCH_SKIP_EVIDENTLY === "1") {
    evidentlyNote = "skipped (DRIFTWATCH_BENCH_SKIP_EVIDENTLY=1)";
  } else {
    const evidentlyPython = pythonWith(
      "evidently, pandas",
      ["evidently", "pandas<3"],
      join(outDir, "venv-evidently"),
      {
        preferSystem: false,
        log,
      },
    );
    if (evidentlyPython === null) {
      evidentlyNote = "evidently did not install";
    } else {
      log("timing Evidently's data drift report (this takes a while)");
      const evidently = await measure(
        evidentlyPython,
        [join(root, "bench", "check_evidently.py"), reference, current],
        { timeoutMs: 3_600_000 },
      );
      if (evidently.code === 0) {
        evidentlySeconds = evidently.seconds;
        log(`Evidently: ${evidently.seconds.toFixed(2)} s`);
      } else {
        evidentlyNote = evidently.timedOut
          ? "evidently did not finish within an hour"
          : `evidently failed: ${evidently.stderr.trim().split("\n").slice(-1)[0] ?? ""}`;
        log(evidentlyNote);
      }
    }
  }

  const figures = {
    check_s: round(check.seconds),
    scipy_s: scipySeconds === null ? null : round(scipySeconds),
    ratio_vs_scipy: scipySeconds === null ? null : round(check.seconds / scipySeconds, 3),
    evidently_s: evidentlySeconds === null ? null : round(evidentlySeconds),
    ratio_vs_evidently:
      evidentlySeconds === null ? null : round(check.seconds / evidentlySeconds, 4),
    times_faster_than_evidently:
      evidentlySeconds === null ? null : round(evidentlySeconds / check.seconds, 1),
    peak_rss_mb: check.peakRssMb === null ? null : round(check.peakRssMb, 0),
    rows: 1_000_000,
    features: 20,
    max_rel_diff_vs_scipy: agreement === null ? null : Number(agreement.toPrecision(2)),
    ...(evidentlyNote === undefined ? {} : { evidently_note: evidentlyNote }),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
