// `driftwatch dlq list|replay`: inspect dead letters by reason and time, and re-publish chosen ones
// to their original topic once the cause is fixed on driftwatch's side.
import { recordCliChange } from "../audit.js";
import type { Command } from "commander";
import {
  listDeadLetters,
  parsePosition,
  summarizeDeadLetters,
  type DeadLetterEntry,
  type DeadLetterFilter,
  type DeadLetterSummary,
  type OriginalPosition,
  DEAD_LETTER_REASONS,
  isDeadLetterReason,
  replayDeadLetters,
  type ReplaySummary,
  parseTimeArgument,
} from "../../ingest/index.js";
import { createKafkaClient } from "../../kafka/index.js";
import { createLogger } from "../../util/index.js";
import { withCliContext } from "../context.js";
import { CliError } from "../errors.js";

interface FilterOptions {
  readonly reason?: string;
  readonly since?: string;
  readonly until?: string;
  readonly config?: string;
}

interface ListOptions extends FilterOptions {
  readonly limit: string;
  readonly json?: boolean;
}

interface ReplayCliOptions extends FilterOptions {
  readonly offsets?: string;
  readonly all?: boolean;
  readonly dryRun?: boolean;
  readonly includeReplayed?: boolean;
  readonly limit?: string;
  readonly json?: boolean;
  readonly author?: string;
}

const TIME_HELP = "RFC 3339, YYYY-MM-DD, epoch ms, or a duration back from now (15m, 6h, 7d)";

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new CliError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function buildFilter(options: FilterOptions & { offsets?: string }): DeadLetterFilter {
  const now = Date.now();
  const time = (text: string | undefined, flag: string): number | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseTimeArgument(text, now);
    if (typeof parsed === "string") throw new CliError(`${flag}: ${parsed}`);
    return parsed;
  };
  let reasons: string[] | undefined;
  if (options.reason !== undefined) {
    reasons = options.reason.split(",").map((reason) => reason.trim());
    const unknown = reasons.filter((reason) => !isDeadLetterReason(reason));
    if (unknown.length > 0) {
      throw new CliError(
        `--reason: unknown reason ${unknown.join(", ")}; known: ${Object.keys(DEAD_LETTER_REASONS).join(", ")}`,
      );
    }
  }
  let positions: OriginalPosition[] | undefined;
  if (options.offsets !== undefined) {
    positions = options.offsets.split(",").map((text) => {
      const position = parsePosition(text);
      if (typeof position === "string") throw new CliError(`--offsets: ${position}`);
      return position;
    });
  }
  return {
    reasons,
    sinceMs: time(options.since, "--since"),
    untilMs: time(options.until, "--until"),
    positions,
  };
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(".000Z", "Z");
}

function preview(bytes: Buffer, width: number): string {
  let text = "";
  for (const char of bytes.toString("utf8")) {
    const code = char.codePointAt(0) ?? 0;
    text += code < 0x20 || code === 0x7f ? "·" : char;
  }
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function entryJson(entry: DeadLetterEntry): Record<string, unknown> {
  return {
    received_at: isoSeconds(entry.receivedAt),
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    reason: entry.reason,
    detail: entry.detail,
    bytes: entry.raw.length,
    raw_base64: entry.raw.toString("base64"),
    key: entry.key.length > 0 ? entry.key.toString("utf8") : null,
    replayed_at: entry.replayedAt === null ? null : isoSeconds(entry.replayedAt),
  };
}

function printList(summary: DeadLetterSummary, entries: readonly DeadLetterEntry[]): void {
  const out = (line: string): boolean => process.stdout.write(line + "\n");
  out(`${summary.total} dead letters (${summary.replayed} replayed)`);
  for (const [reason, count] of Object.entries(summary.byReason)) {
    out(`  ${reason.padEnd(18)} ${String(count).padStart(8)}`);
  }
  if (entries.length === 0) return;
  out("");
  out(
    [
      "received_at".padEnd(20),
      "position".padEnd(36),
      "reason".padEnd(16),
      "replayed",
      "detail / payload",
    ].join("  "),
  );
  for (const entry of entries) {
    const position = `${entry.topic}:${entry.partition}:${entry.offset}`;
    out(
      [
        isoSeconds(entry.receivedAt).padEnd(20),
        position.padEnd(36),
        entry.reason.padEnd(16),
        (entry.replayedAt === null ? "no" : "yes").padEnd(8),
        `${entry.detail} | ${entry.raw.length} bytes: ${preview(entry.raw, 60)}`,
      ].join("  "),
    );
  }
  if (entries.length < summary.total) out(`(showing the newest ${entries.length}; use --limit)`);
}

function printReplay(summary: ReplaySummary): void {
  const verb = summary.dryRun ? "would replay" : "replayed";
  process.stdout.write(`${verb} ${summary.replayed} dead letters\n`);
  for (const [topic, count] of Object.entries(summary.byTopic)) {
    process.stdout.write(`  to ${topic}: ${count}\n`);
  }
  for (const [reason, count] of Object.entries(summary.byReason)) {
    process.stdout.write(`  reason ${reason}: ${count}\n`);
  }
  for (const position of summary.sample) {
    process.stdout.write(`  ${position.topic}:${position.partition}:${position.offset}\n`);
  }
  if (summary.sample.length < summary.replayed) process.stdout.write("  …\n");
}

async function runList(options: ListOptions): Promise<void> {
  const filter = buildFilter(options);
  const limit = positiveInteger(options.limit, "--limit");
  await withCliContext(options.config, "dlq list", async ({ config, engine }) => {
    const database = config.clickhouse.database;
    const summary = await summarizeDeadLetters(engine, database, filter);
    const entries = await listDeadLetters(engine, database, filter, limit);
    if (options.json === true) {
      process.stdout.write(
        JSON.stringify({
          total: summary.total,
          replayed: summary.replayed,
          by_reason: summary.byReason,
          dead_letters: entries.map(entryJson),
        }) + "\n",
      );
    } else {
      printList(summary, entries);
    }
  });
}

async function runReplay(options: ReplayCliOptions): Promise<void> {
  const filter = buildFilter(options);
  const selective =
    filter.reasons !== undefined ||
    filter.sinceMs !== undefined ||
    filter.untilMs !== undefined ||
    filter.positions !== undefined;
  if (!selective && options.all !== true) {
    throw new CliError("choose what to replay: --reason, --since/--until, --offsets, or --all");
  }
  const limit = options.limit === undefined ? undefined : positiveInteger(options.limit, "--limit");
  const dryRun = options.dryRun === true;
  await withCliContext(options.config, "dlq replay", async ({ config, engine }) => {
    const logger = createLogger("dlq");
    const producer = dryRun ? undefined : createKafkaClient(config.kafka, logger).producer();
    try {
      if (producer !== undefined) {
        try {
          await producer.connect();
        } catch (error) {
          throw new CliError(
            `cannot reach Kafka at ${config.kafka.brokers.join(",")}: ${(error as Error).message}`,
          );
        }
      }
      const replayed = await replayDeadLetters(engine, config.clickhouse.database, producer, {
        filter,
        dryRun,
        includeReplayed: options.includeReplayed === true,
        limit,
        onPage: (count) =>
          process.stderr.write(`dlq replay: ${count} ${dryRun ? "selected" : "replayed"}\n`),
      });
      if (!dryRun && replayed.replayed > 0) {
        await recordCliChange(
          engine,
          config.clickhouse.database,
          {
            action: "dlq.replay",
            target: Object.keys(replayed.byTopic).sort().join(","),
            detail: {
              replayed: replayed.replayed,
              byReason: replayed.byReason,
              ...(options.reason !== undefined ? { reasons: options.reason } : {}),
              ...(options.since !== undefined ? { since: options.since } : {}),
              ...(options.until !== undefined ? { until: options.until } : {}),
              ...(options.offsets !== undefined ? { offsets: options.offsets } : {}),
              ...(options.includeReplayed === true ? { includeReplayed: true } : {}),
            },
          },
          options.author,
        );
      }
      if (options.json === true) process.stdout.write(JSON.stringify(replayed) + "\n");
      else printReplay(replayed);
    } finally {
      await producer?.close().catch(() => undefined);
    }
  });
}

export function registerDlq(program: Command): void {
  const dlq = program
    .command("dlq")
    .description("inspect and replay dead letters (events that failed validation)");

  dlq
    .command("list")
    .description("dead letters by reason and time, newest first, with a count per reason")
    .option(
      "--reason <reasons>",
      `only these reasons (comma-separated): ${Object.keys(DEAD_LETTER_REASONS).join(", ")}`,
    )
    .option("--since <time>", `received at or after (${TIME_HELP})`)
    .option("--until <time>", `received before (${TIME_HELP})`)
    .option("--limit <n>", "dead letters listed (the counts cover all that match)", "50")
    .option(
      "--json",
      "print JSON on stdout: {total, replayed, by_reason, dead_letters[]} (raw payload in base64)",
    )
    .option(
      "-c, --config <file>",
      "config file (default: $DRIFTWATCH_CONFIG, else built-in defaults)",
    )
    .addHelpText(
      "after",
      `
Examples:
  driftwatch dlq list
  driftwatch dlq list --reason too_large,not_utf8 --since 24h
  driftwatch dlq list --since 2026-11-23T00:00:00Z --until 2026-11-24 --json`,
    )
    .action(async (options: ListOptions) => runList(options));

  dlq
    .command("replay")
    .description(
      "re-publish chosen dead letters to their original topic (they are validated again)",
    )
    .option("--reason <reasons>", "only these reasons (comma-separated)")
    .option("--since <time>", `received at or after (${TIME_HELP})`)
    .option("--until <time>", `received before (${TIME_HELP})`)
    .option("--offsets <list>", "only these original positions: topic:partition:offset,…")
    .option("--all", "replay every dead letter not yet replayed (when no other selector is given)")
    .option("--limit <n>", "replay at most this many")
    .option("--include-replayed", "also replay dead letters that were replayed before")
    .option("--dry-run", "show what would be replayed; send and record nothing")
    .option("--author <name>", "who replays (audit log; default cli:<OS user>)")
    .option("--json", "print the summary as JSON on stdout")
    .option(
      "-c, --config <file>",
      "config file (default: $DRIFTWATCH_CONFIG, else built-in defaults)",
    )
    .addHelpText(
      "after",
      `
Fix the cause first (e.g. raise ingest.maxEventBytes and restart serve), then replay. Payloads are
sent byte for byte with their original keys; each replayed dead letter is recorded, so running the
same replay twice sends nothing the second time (see --include-replayed).

Examples:
  driftwatch dlq replay --reason too_large --dry-run
  driftwatch dlq replay --reason too_large
  driftwatch dlq replay --offsets driftwatch.predictions:0:1234,driftwatch.predictions:2:77`,
    )
    .action(async (options: ReplayCliOptions) => runReplay(options));
}
