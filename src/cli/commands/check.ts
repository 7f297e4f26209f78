// `driftwatch check`: compares a reference and a current file (CSV or JSONL) column by column —
// as a whole and, if asked, chunk by chunk — and reports drift as a table, the --json contract
// document, and optionally an HTML page.
// With --task, also the model's estimated (and realized) performance per chunk and file.
// Exit codes: 0 no drift, 1 drift (the whole file or any chunk) or a performance alert, 2 error.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  type CheckFlagValues,
  CheckInputError,
  checkExitCode,
  checkOutputPath,
  DEFAULT_MAX_COLUMNS,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_NA_VALUES,
  optionsFromFlags,
  parseColumnList,
  renderHtml,
  renderJson,
  renderTable,
  runCheck,
  silentProgress,
  stderrProgress,
} from "../../check/index.js";
import { CliError } from "../errors.js";

/** What commander parses: the files and outputs, plus the flags `optionsFromFlags` reads. */
interface CheckFlags extends CheckFlagValues {
  reference: string;
  current: string;
  json?: boolean;
  categorical?: string[];
  columns?: string[];
  html?: string;
  progress: boolean;
}

const NA_LIST = DEFAULT_NA_VALUES.filter((value) => value !== "").join(",");

const HELP_AFTER = `
Files: .csv (header row; RFC 4180 quoting; delimiter , ; tab or | detected from the first lines)
or .jsonl / .ndjson (one JSON object per line; null or an absent key is missing, "" is a
category). In CSV an empty cell and the --na-values (default ${NA_LIST}; matched
exactly, quoted or not, surrounding spaces ignored) are missing, before kinds are inferred.
A column is numeric when every non-missing value is a number in both files, otherwise
categorical (categorical in one file makes it categorical in both).

Categories compare by value: true/True/TRUE and false/False/FALSE are the categories true and
false in CSV as in JSONL; in --categorical columns numbers count by value (19, 19.0 and 1.9e1 are
the category 19; JSON numbers always do). Other text is compared as written (02799 stays 02799).
A number too large for a double (1e400) or inf makes its column "not computable: non-finite
values", in CSV and JSONL alike.

Chunks: --chunk-size N cuts the current file into chunks of N rows (a short last chunk is kept,
marked partial); --chunk-by COLUMN --chunk-period 1d cuts it by the UTC period of a time column
(RFC 3339 text or epoch milliseconds; periods ms s m h d w, weeks start on Monday; that column is
not compared). Each chunk is compared with the whole reference; the table, --json ("chunks") and
--html (a heatmap of columns x chunks) show them.

Performance estimation: --task binary --score-column S --label-column Y [--prediction-column P]
[--positive-label V] (multiclass: --score-columns class=column,…) estimates ROC AUC, accuracy,
precision, recall and F1 of the current file and of each chunk from the model's scores, without
labels (confidence-based, calibrated on the reference's labels), each with its sampling-error
band and the reference's thresholds; an estimate outside its thresholds is an alert (exit 1).
When the current file has labels, the realized values are shown beside. These columns are not
compared for drift. --task regression is not built yet (exit 2).

Default rule per column (n = non-missing reference rows): numeric drifts when the KS p-value
< 0.05 (n <= 1000) else Wasserstein-normed >= 0.1; categorical when the chi-squared p-value
< 0.05 (n <= 1000) else Jensen-Shannon >= 0.1. The dataset drifts when drifted columns / compared
columns >= 0.5. A column only in one file, or with every value missing in one file, is reported
as not computable with the reason.

Exit codes: 0 no dataset drift, 1 dataset drift, 2 error (message on stderr). With chunks, 1
when the whole file or any chunk drifted; with --task, also when an estimate raised its alert. --html is checked before anything is read.

Examples:
  $ driftwatch check --reference examples/data/reference.csv --current examples/data/current.csv
  $ driftwatch check -r ref.jsonl -c cur.jsonl --json > drift.json
  $ driftwatch check -r ref.csv -c cur.csv --columns age,income,region --categorical region
  $ driftwatch check -r ref.csv -c cur.csv --html drift-report.html
  $ driftwatch check -r ref.csv -c cur.csv --chunk-size 5000 --html chunks.html
  $ driftwatch check -r ref.csv -c cur.csv --chunk-by timestamp --chunk-period 1d --json
  $ driftwatch check -r ref.csv -c cur.csv --delimiter ';' --na-values NA,-999
  $ driftwatch check -r ref.csv -c cur.csv --chunk-size 1000 --task binary \
      --score-column score --prediction-column prediction --label-column label
  $ driftwatch check -r ref.csv -c cur.csv --task multiclass \
      --score-columns cat=p_cat,dog=p_dog,bird=p_bird --label-column label
`;

function collectList(value: string, previous: string[] | undefined): string[] {
  return parseColumnList(value, previous ?? []);
}

async function runCheckCommand(flags: CheckFlags): Promise<void> {
  try {
    // Every flag and output path is checked before any input is read.
    const { read, chunks, performance } = optionsFromFlags(flags);
    if (flags.html !== undefined) await checkOutputPath("--html", flags.html);
    const outcome = await runCheck({
      referencePath: flags.reference,
      currentPath: flags.current,
      columns: flags.columns,
      categorical: flags.categorical,
      histograms: flags.html !== undefined,
      progress: flags.progress ? stderrProgress() : silentProgress,
      read,
      ...(chunks === undefined ? {} : { chunks }),
      ...(performance === undefined ? {} : { performance }),
    });
    for (const warning of outcome.warnings) {
      process.stderr.write(`driftwatch: warning: ${warning}\n`);
    }
    // `check … | head` closes stdout early: that is the reader's choice, not an error to report.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    process.stdout.write(
      flags.json === true ? renderJson(outcome.report) : renderTable(outcome.report),
    );
    if (flags.html !== undefined) {
      try {
        await writeFile(flags.html, renderHtml(outcome));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(`--html: cannot write ${flags.html}: ${reason}`);
      }
      process.stderr.write(`driftwatch: HTML report written to ${flags.html}\n`);
    }
    process.exitCode = checkExitCode(outcome.report);
  } catch (error) {
    if (error instanceof CheckInputError) throw new CliError(error.message);
    throw error;
  }
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .summary("offline drift report comparing a reference file with a current file")
    .description(
      "Compare a reference file with a current file (CSV or JSONL) column by column: PSI, " +
        "Jensen-Shannon, KS, Wasserstein and chi-squared, with a drift verdict per column and for the dataset.",
    )
    .requiredOption("-r, --reference <file>", "reference (baseline) data: .csv, .jsonl or .ndjson")
    .requiredOption("-c, --current <file>", "current data to compare with the reference")
    .option(
      "--json",
      "print the results as one JSON document on stdout (for pipelines) instead of the table",
    )
    .option(
      "--columns <names>",
      'compare only these columns (comma-separated; "\\," for a comma in a name; repeatable)',
      collectList,
    )
    .option(
      "--categorical <names>",
      "treat these columns as categorical even if their values are numbers (comma-separated; repeatable)",
      collectList,
    )
    .option(
      "--html <file>",
      "also write a self-contained HTML report with per-column histograms (and chunk heatmap)",
    )
    .option(
      "--na-values <values>",
      `CSV cells that are missing values besides empty ones, comma-separated; replaces the ` +
        `default (${NA_LIST}); --na-values "" for none`,
      collectList,
    )
    .option(
      "--delimiter <char>",
      "CSV delimiter: one character or tab (default: detected among , ; tab |)",
    )
    .option(
      "--chunk-size <rows>",
      "also compare the current file in chunks of this many rows with the reference",
    )
    .option(
      "--chunk-by <column>",
      "also compare the current file in chunks by this time column (RFC 3339 or epoch ms, UTC)",
    )
    .option("--chunk-period <period>", "the length of a --chunk-by chunk: e.g. 1h, 1d, 1w")
    .option(
      "--task <task>",
      "estimate the model's performance: binary or multiclass (regression: not yet)",
    )
    .option("--score-column <column>", "binary: the positive class's probability (0 to 1)")
    .option(
      "--score-columns <class=column,...>",
      'multiclass: each class\'s probability column ("\\," "\\=" inside names)',
    )
    .option("--prediction-column <column>", "the model's predicted label (default: from scores)")
    .option("--label-column <column>", "the true label (needed in the reference)")
    .option("--positive-label <value>", "binary: the label of the positive class (default 1)")
    .option(
      "--max-columns <n>",
      `refuse files with more columns than this (default ${DEFAULT_MAX_COLUMNS})`,
    )
    .option(
      "--max-line-bytes <size>",
      `refuse a CSV record or JSONL line longer than this, e.g. 512M (default ${DEFAULT_MAX_LINE_BYTES / 1024 ** 2}M)`,
    )
    .option("--no-progress", "never print progress on stderr (default: shown for big files)")
    .addHelpText("after", HELP_AFTER)
    .action(async (flags: CheckFlags) => runCheckCommand(flags));
}
