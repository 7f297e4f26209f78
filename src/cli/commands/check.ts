// `driftwatch check`: compares a reference and a current file (CSV or JSONL) column by column and
// reports drift as a table, the --json contract document, and optionally an HTML page.
// Exit codes: 0 no dataset drift, 1 dataset drift, 2 error.
import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  CheckInputError,
  parseColumnList,
  renderHtml,
  renderJson,
  renderTable,
  runCheck,
  silentProgress,
  stderrProgress,
} from "../../check/index.js";
import { CliError } from "../errors.js";

interface CheckFlags {
  reference: string;
  current: string;
  json?: boolean;
  categorical?: string[];
  columns?: string[];
  html?: string;
  progress: boolean;
}

const HELP_AFTER = `
Files: .csv (header row; RFC 4180 quoting; an empty cell is missing) or .jsonl / .ndjson (one
JSON object per line; null or an absent key is missing, "" is a category, booleans are
categories). A column is numeric when every non-missing value is a number in both files,
otherwise categorical (categorical in one file makes it categorical in both).

Default rule per column (n = non-missing reference rows): numeric drifts when the KS p-value
< 0.05 (n <= 1000) else Wasserstein-normed >= 0.1; categorical when the chi-squared p-value
< 0.05 (n <= 1000) else Jensen-Shannon >= 0.1. The dataset drifts when drifted columns / compared
columns >= 0.5. A column only in one file, or with every value missing in one file, is reported
as not computable with the reason.

Exit codes: 0 no dataset drift, 1 dataset drift, 2 error (message on stderr).

Examples:
  $ driftwatch check --reference examples/data/reference.csv --current examples/data/current.csv
  $ driftwatch check -r ref.jsonl -c cur.jsonl --json > drift.json
  $ driftwatch check -r ref.csv -c cur.csv --columns age,income,region --categorical region
  $ driftwatch check -r ref.csv -c cur.csv --html drift-report.html
`;

function collectList(value: string, previous: string[] | undefined): string[] {
  return parseColumnList(value, previous ?? []);
}

async function runCheckCommand(flags: CheckFlags): Promise<void> {
  try {
    const outcome = await runCheck({
      referencePath: flags.reference,
      currentPath: flags.current,
      columns: flags.columns,
      categorical: flags.categorical,
      histograms: flags.html !== undefined,
      progress: flags.progress ? stderrProgress() : silentProgress,
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
    process.exitCode = outcome.report.drifted ? 1 : 0;
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
    .option("--html <file>", "also write a self-contained HTML report with per-column histograms")
    .option("--no-progress", "never print progress on stderr (default: shown for big files)")
    .addHelpText("after", HELP_AFTER)
    .action(async (flags: CheckFlags) => runCheckCommand(flags));
}
