// `driftwatch status --model M [--fail-on-drift] [--json]`: the pipeline gate. Reads the model's
// latest evaluated window from ClickHouse through the monitor's operations; exit 0 (ok, unknown),
// 1 with --fail-on-drift when drifting or degraded, 2 on error.
import type { Command } from "commander";
import { Registry } from "prom-client";
import { readCliConfig } from "../config.js";
import { createMonitor, MonitorInputError, type ModelStatus } from "../../monitor/index.js";
import { ClickHouseError, createClickHouseEngine } from "../../store/index.js";
import { createLogger } from "../../util/logger.js";
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
  const config = readCliConfig(options.config);
  const engine = createClickHouseEngine(config.clickhouse);
  try {
    const monitor = createMonitor({
      config,
      engine,
      registry: new Registry(),
      logger: createLogger("status"),
    });
    return await monitor.status(options.model);
  } catch (error) {
    if (error instanceof MonitorInputError) throw new CliError(`--${error.message}`);
    if (error instanceof ClickHouseError) throw new CliError(`status failed: ${error.message}`);
    throw error;
  } finally {
    await engine.close();
  }
}

function describe(status: ModelStatus): string {
  const lines = [`${status.model}: ${status.state}`];
  if (status.windowStart !== undefined && status.windowEnd !== undefined) {
    lines[0] += ` (version ${status.modelVersion}, window ${new Date(status.windowStart).toISOString()} – ${new Date(status.windowEnd).toISOString()})`;
  }
  for (const reason of status.reasons) lines.push(`  ${reason}`);
  return `${lines.join("\n")}\n`;
}
