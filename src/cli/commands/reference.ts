// `driftwatch reference set --model M [--version V] (--from T --to T | --file F | --rolling-days N)`:
// sets the reference of a model version (recorded in the audit log as cli:<user>).
import { userInfo } from "node:os";
import type { Command } from "commander";
import {
  type MonitorOperations,
  type ReferenceSpec,
  readDatasetFile,
} from "../../monitor/index.js";
import { withCliContext } from "../context.js";
import { CliError } from "../errors.js";

interface SetOptions {
  readonly model: string;
  readonly version: string;
  readonly from?: string;
  readonly to?: string;
  readonly file?: string;
  readonly rollingDays?: string;
  readonly predictionColumn?: string;
  readonly labelColumn?: string;
  readonly config?: string;
}

export function registerReference(program: Command): void {
  const reference = program.command("reference").description("reference windows of model versions");
  reference
    .command("set")
    .description(
      "set the reference of a model version: a fixed time range, a file, or rolling days",
    )
    .requiredOption("-m, --model <name>", "model name")
    .option("-v, --version <version>", "model version", "unknown")
    .option("--from <time>", "fixed range start (RFC 3339 or epoch ms)")
    .option("--to <time>", "fixed range end (exclusive)")
    .option("--file <path>", "CSV (header row) or JSONL dataset to upload")
    .option("--rolling-days <n>", "the N days before each evaluated window")
    .option("--prediction-column <name>", "dataset column holding the prediction")
    .option("--label-column <name>", "dataset column holding the label")
    .option("-c, --config <file>", "config file (default: $DRIFTWATCH_CONFIG)")
    .action(async (options: SetOptions) => {
      const spec = await specOf(options);
      const info = await withMonitor(options.config, (monitor) =>
        monitor.setReference(options.model, options.version, spec, { name: `cli:${userName()}` }),
      );
      process.stdout.write(`${JSON.stringify(info)}\n`);
    });
}

async function specOf(options: SetOptions): Promise<ReferenceSpec> {
  const chosen = [
    options.from !== undefined || options.to !== undefined,
    options.file !== undefined,
    options.rollingDays !== undefined,
  ].filter(Boolean).length;
  if (chosen !== 1) throw new CliError("give exactly one of --from/--to, --file or --rolling-days");
  if (options.file !== undefined) {
    let rows;
    try {
      rows = await readDatasetFile(options.file);
    } catch (error) {
      throw new CliError(`--file ${options.file}: ${(error as Error).message}`);
    }
    return {
      kind: "dataset",
      rows,
      ...(options.predictionColumn !== undefined
        ? { predictionColumn: options.predictionColumn }
        : {}),
      ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}),
    };
  }
  if (options.rollingDays !== undefined) {
    const days = Number(options.rollingDays);
    if (!Number.isInteger(days) || days < 1)
      throw new CliError("--rolling-days must be a whole number ≥ 1");
    return { kind: "rolling", days };
  }
  if (options.from === undefined || options.to === undefined)
    throw new CliError("--from and --to go together");
  return {
    kind: "fixed",
    from: parseTime("--from", options.from),
    to: parseTime("--to", options.to),
  };
}

function parseTime(flag: string, text: string): number {
  const value = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value))
    throw new CliError(`${flag}: not a time (RFC 3339 or epoch ms): ${text}`);
  return value;
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

async function withMonitor<T>(
  configPath: string | undefined,
  work: (monitor: MonitorOperations) => Promise<T>,
): Promise<T> {
  return withCliContext(configPath, "reference set", (context) => work(context.operations()));
}
