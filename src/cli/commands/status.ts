// `driftwatch status --model M [--fail-on-drift] [--json]`: the pipeline gate. Reads the model's
// latest evaluated window from ClickHouse through the monitor's operations; exit 0 (ok, unknown),
// 1 with --fail-on-drift when drifting or degraded, 2 on error.
import type { Command } from "commander";
import { MonitorInputError, type ModelStatus } from "../../monitor/index.js";
import { withCliContext } from "../context.js";
import { CliError } from "../errors.js";

interface StatusOptions {
  readonly model: string;
  readonly failOnDrift?: boolean;
  readonly json?: boolean;
  readonly config?: string;
}

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("print a model's state (ok, drifting, degraded, unknown) with its reasons")
    .requiredOption("-m, --model <name>", "model name")
    .option("--fail-on-drift", "exit 1 when the model is drifting or degraded (pipeline gate)")
    .option("--json", "print the status as JSON")
    .option("-c, --config <file>", "config file (default: $DRIFTWATCH_CONFIG)")
    .action(async (options: StatusOptions) => {
      const status = await readStatus(options);
      process.stdout.write(
        options.json === true ? `${JSON.stringify(status)}\n` : describe(status),
      );
      if (
        options.failOnDrift === true &&
        (status.state === "drifting" || status.state === "degraded")
      ) {
        process.exitCode = 1;
      }
    });
}

async function readStatus(options: StatusOptions): Promise<ModelStatus> {
  return withCliContext(options.config, "status", async (context) => {
    try {
      return await context.operations().status(options.model);
    } catch (error) {
      if (error instanceof MonitorInputError) throw new CliError(`--${error.message}`);
      throw error;
    }
  });
}

function describe(status: ModelStatus): string {
  const lines = [`${status.model}: ${status.state}`];
  if (status.windowStart !== undefined && status.windowEnd !== undefined) {
    lines[0] += ` (version ${status.modelVersion}, window ${new Date(status.windowStart).toISOString()} – ${new Date(status.windowEnd).toISOString()})`;
  }
  for (const reason of status.reasons) lines.push(`  ${reason}`);
  return `${lines.join("\n")}\n`;
}
