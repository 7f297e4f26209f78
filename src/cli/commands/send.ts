// `driftwatch send --file events.jsonl`: produce prediction (or label) events from a JSON-lines
// file or stdin to Kafka, with progress on stderr and a summary of sent and failed lines.
import { Option, type Command } from "commander";
import { readCliConfig } from "../config.js";
import { openInput, sendEvents, type EventKind, type SendSummary } from "../../ingest/index.js";
import { createKafkaClient } from "../../kafka/index.js";
import { createLogger } from "../../util/index.js";
import { CliError } from "../errors.js";

interface SendCliOptions {
  readonly file: string;
  readonly topic?: string;
  readonly kind?: EventKind;
  readonly batch: string;
  readonly validate: boolean;
  readonly json?: boolean;
  readonly config?: string;
}

/** Failed lines listed in the text summary (all of them are in --json). */
const LISTED_FAILURES = 50;

export function registerSend(program: Command): void {
  program
    .command("send")
    .description("produce events from a JSON-lines file (or stdin) to Kafka")
    .requiredOption("-f, --file <path>", "JSON-lines file, one event per line; - for stdin")
    .option("-t, --topic <topic>", "topic to produce to (default: kafka.topics.predictions)")
    .addOption(
      new Option(
        "--kind <kind>",
        "event contract lines are checked against (default: labels when --topic is the labels topic)",
      ).choices(["predictions", "labels"]),
    )
    .option("-b, --batch <n>", "records per produce request", "500")
    .option("--no-validate", "send every non-blank line as it is (e.g. to exercise the DLQ)")
    .option("--json", "print the summary as JSON on stdout")
    .option(
      "-c, --config <file>",
      "config file (default: $DRIFTWATCH_CONFIG, else built-in defaults)",
    )
    .addHelpText(
      "after",
      `
Each line is checked against the event contract first; invalid lines are not sent and are listed
with their line numbers and reasons. Records are keyed by event_id. The topic is created when
missing. Exit code: 0 every line sent, 1 some lines failed, 2 error.

Examples:
  driftwatch send --file events.jsonl
  driftwatch send --file labels.jsonl --topic driftwatch.labels
  generate-events | driftwatch send --file - --batch 2000`,
    )
    .action(async (options: SendCliOptions) => {
      process.exitCode = await runSend(options);
    });
}

function printSummary(summary: SendSummary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(summary) + "\n");
    return;
  }
  const { sent, lines, failed, topic } = summary;
  process.stdout.write(`sent ${sent} of ${lines} lines to ${topic}; ${failed.length} failed\n`);
  for (const failure of failed.slice(0, LISTED_FAILURES)) {
    process.stdout.write(`  line ${failure.line}: ${failure.reason}: ${failure.detail}\n`);
  }
  if (failed.length > LISTED_FAILURES) {
    process.stdout.write(`  … and ${failed.length - LISTED_FAILURES} more (see --json)\n`);
  }
}

async function runSend(options: SendCliOptions): Promise<number> {
  const config = readCliConfig(options.config);
  const batchSize = Number(options.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new CliError(`--batch must be a positive integer, got ${JSON.stringify(options.batch)}`);
  }
  const topic = options.topic ?? config.kafka.topics.predictions;
  const kind = options.kind ?? (topic === config.kafka.topics.labels ? "labels" : "predictions");
  const logger = createLogger("send");
  const kafka = createKafkaClient(config.kafka, logger);
  const admin = kafka.admin();
  const producer = kafka.producer();
  const started = Date.now();
  let lastReport = started;
  try {
    try {
      await admin.connect();
      await admin.ensureTopics([
        {
          topic,
          partitions: config.kafka.topicPartitions,
          replicationFactor: config.kafka.replicationFactor,
        },
      ]);
      await producer.connect();
    } catch (error) {
      throw new CliError(
        `cannot reach Kafka at ${config.kafka.brokers.join(",")}: ${(error as Error).message}`,
      );
    }
    let input;
    try {
      input = openInput(options.file);
    } catch (error) {
      throw new CliError(`cannot read ${options.file}: ${(error as Error).message}`);
    }
    let summary: SendSummary;
    try {
      summary = await sendEvents(input, producer, {
        topic,
        kind,
        batchSize,
        validate: options.validate,
        rules: { maxEventBytes: config.ingest.maxEventBytes },
        onProgress: ({ sent, failed }) => {
          const now = Date.now();
          if (now - lastReport < 1_000) return;
          lastReport = now;
          const rate = Math.round(sent / ((now - started) / 1000));
          process.stderr.write(`send: ${sent} sent, ${failed} failed (${rate}/s)\n`);
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
        throw new CliError(`cannot read ${options.file}: ${(error as Error).message}`);
      }
      throw error;
    }
    printSummary(summary, options.json === true);
    return summary.failed.length === 0 ? 0 : 1;
  } finally {
    await producer.close().catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}
