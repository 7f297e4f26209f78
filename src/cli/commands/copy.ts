// `driftwatch copy --from <clickhouse-url>`: copy an install's stored data from another
// ClickHouse (e.g. the old single node) into the configured one (e.g. the new cluster), resumable
// and verified. Exit 0 when every table matches, 1 on a mismatch, 2 on an error.
import type { Command } from "commander";
import { createHttpEngine, isIdentifier } from "../../store/index.js";
import { withCliContext } from "../context.js";
import { COPIED_TABLES, CopyError, runCopy, selectTables, type CopyReport } from "../copy/index.js";
import { CliError } from "../errors.js";

interface CopyCommandOptions {
  readonly from: string;
  readonly sourceDatabase: string;
  readonly sourceUser: string;
  readonly tables?: string;
  readonly pageKeys: string;
  readonly settleSeconds: string;
  readonly dryRun?: boolean;
  readonly verifyOnly?: boolean;
  readonly json?: boolean;
  readonly config?: string;
}

export function registerCopy(program: Command): void {
  program
    .command("copy")
    .description(
      "copy stored data from another ClickHouse (e.g. a single node) into the configured one (e.g. a cluster), resumable and verified",
    )
    .requiredOption(
      "--from <clickhouse-url>",
      "source ClickHouse HTTP URL, e.g. http://old-host:8123",
    )
    .option("--source-database <name>", "database on the source", "driftwatch")
    .option(
      "--source-user <name>",
      "user on the source (password from env DRIFTWATCH_COPY_SOURCE_PASSWORD)",
      "default",
    )
    .option("--tables <list>", "comma-separated tables to copy (default: all listed below)")
    .option(
      "--page-keys <n>",
      "entries (a key with its version, or a log entry) per page: one read and one insert",
      "10000",
    )
    .option(
      "--settle-seconds <n>",
      "how long verification waits for the target to show rows still in flight (Distributed inserts)",
      "30",
    )
    .option("--dry-run", "only compare: print per table what would be copied, write nothing")
    .option("--verify-only", "only verify: compare every unit, exit 1 on a mismatch")
    .option("--json", "print the report as JSON on stdout")
    .option(
      "-c, --config <file>",
      "config of the TARGET (default: $DRIFTWATCH_CONFIG, env overrides)",
    )
    .addHelpText("after", helpText())
    .action(async (options: CopyCommandOptions) => {
      const report = await copy(options);
      process.stdout.write(
        options.json === true ? `${JSON.stringify(report)}\n` : describe(report),
      );
      if (!report.ok) process.exitCode = 1;
    });
}

function helpText(): string {
  const tables = COPIED_TABLES.map((t) => `  ${t.table.padEnd(20)} ${t.holds}`).join("\n");
  return `
The target is the configured ClickHouse (clickhouse.url / DRIFTWATCH_CLICKHOUSE_URL, database
clickhouse.database / DRIFTWATCH_CLICKHOUSE_DATABASE); on a cluster (clickhouse.cluster) rows go
through the Distributed tables, so each lands on its shard. Run \`driftwatch migrate\` against the
target first. Columns are copied by name (columns only the target has get their defaults).

Tables copied:
${tables}
model_catalog, ingest_positions and ingest_counts are rebuilt by the target's materialized views
from the copied rows; the model catalog is verified.

Each table is copied one unit at a time (a day, a reference, or the whole small table) in pages of
entries (a key with its version; a log entry), read as RowBinary (lossless) and inserted as read.
Units that already match are skipped; in a unit that differs, only the entries the target lacks
are inserted: running the command again copies nothing twice and carries over what changed on
the source since. At the end every unit is compared (distinct keys, and each key's latest version
or, for logs, the row count); a difference exits 1. docs/scaling.md has the whole move.

Examples:
  DRIFTWATCH_CLICKHOUSE_URL=http://ch-cluster:8123 DRIFTWATCH_CLICKHOUSE_CLUSTER=driftwatch \\
    driftwatch copy --from http://old-clickhouse:8123 --dry-run
  driftwatch copy -c cluster.yaml --from http://old-clickhouse:8123
  driftwatch copy -c cluster.yaml --from http://old-clickhouse:8123 --tables predictions,labels
  driftwatch copy -c cluster.yaml --from http://old-clickhouse:8123 --verify-only`;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || (value === 0 && flag === "--page-keys")) {
    throw new CliError(
      `${flag} must be a ${flag === "--page-keys" ? "positive" : "non-negative"} integer, got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

async function copy(options: CopyCommandOptions): Promise<CopyReport> {
  if (!isIdentifier(options.sourceDatabase)) {
    throw new CliError(`--source-database: invalid name ${JSON.stringify(options.sourceDatabase)}`);
  }
  if (options.dryRun === true && options.verifyOnly === true) {
    throw new CliError("--dry-run and --verify-only exclude each other");
  }
  let tables;
  try {
    tables = selectTables(
      options.tables
        ?.split(",")
        .map((name) => name.trim())
        .filter((name) => name !== ""),
    );
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const pageKeys = positiveInteger("--page-keys", options.pageKeys);
  const settleMs = positiveInteger("--settle-seconds", options.settleSeconds) * 1000;
  return withCliContext(
    options.config,
    "copy",
    async ({ config, engine }) => {
      const source = createHttpEngine({
        url: options.from,
        username: options.sourceUser,
        password: process.env.DRIFTWATCH_COPY_SOURCE_PASSWORD,
        requestTimeoutMs: Math.max(config.clickhouse.requestTimeoutMs, 300_000),
      });
      try {
        return await runCopy(
          {
            source,
            sourceDatabase: options.sourceDatabase,
            target: engine,
            targetDatabase: config.clickhouse.database,
          },
          {
            tables,
            pageKeys,
            dryRun: options.dryRun === true,
            verifyOnly: options.verifyOnly === true,
            settleMs,
            progress: (line) => process.stderr.write(`copy: ${line}\n`),
          },
        );
      } finally {
        await source.close();
      }
    },
    [CopyError],
  );
}

function describe(report: CopyReport): string {
  const lines: string[] = [];
  for (const table of report.tables) {
    if (table.absent === true) {
      lines.push(`${table.table}: not in the source`);
      continue;
    }
    let line = `${table.table}: source ${table.source.keys} keys / ${table.source.rows} rows, target ${table.target.keys} keys / ${table.target.rows} rows`;
    if (report.mode === "dry-run") line += `; ${table.unitsToCopy} unit(s) to copy`;
    else if (report.mode === "copy") line += `; copied ${table.copiedKeys} entries`;
    if (table.skippedKeys > 0) line += `, ${table.skippedKeys} already there`;
    lines.push(line);
    if (table.dropped.length > 0)
      lines.push(`  not copied (target lacks): ${table.dropped.join(", ")}`);
    if (table.defaulted.length > 0)
      lines.push(`  left to defaults (source lacks): ${table.defaulted.join(", ")}`);
    const tag = report.mode === "dry-run" ? "TO COPY" : "MISMATCH";
    for (const mismatch of table.mismatches) lines.push(`  ${tag} ${mismatch}`);
  }
  for (const mismatch of report.catalogMismatches) lines.push(`MISMATCH ${mismatch}`);
  if (report.kafkaTopics.length > 0) {
    lines.push(
      `note: the target now marks the copied Kafka offsets of ${report.kafkaTopics.join(", ")} as stored; ` +
        "instances reading these topic names on a NEW Kafka cluster would skip its first records: " +
        "keep the same Kafka cluster or rename the topics (docs/scaling.md, Kafka positions)",
    );
  }
  if (report.mode === "dry-run") {
    lines.push("dry run: nothing written (TO COPY: units that differ on the target)");
  } else {
    lines.push(
      report.ok
        ? "verified: the target holds every source row"
        : "verification FAILED: see MISMATCH lines",
    );
  }
  return `${lines.join("\n")}\n`;
}
