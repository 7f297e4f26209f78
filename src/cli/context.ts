// What a CLI command works with: the config (from --config, else DRIFTWATCH_CONFIG, else
// defaults), a ClickHouse engine, and the monitor's operations, built on first use and released
// by close(). Store and monitor input errors become one-line CliErrors (exit 2).
import type { DriftwatchConfig } from "../config/index.js";
import {
  createMonitorOperations,
  MonitorInputError,
  type MonitorOperations,
} from "../monitor/index.js";
import { ClickHouseError, createClickHouseEngine, type SqlEngine } from "../store/index.js";
import { createLogger } from "../util/index.js";
import { readCliConfig } from "./config.js";
import { CliError } from "./errors.js";

export interface CliContext {
  readonly config: DriftwatchConfig;
  /** ClickHouse, connected on first use. */
  readonly engine: SqlEngine;
  /** The monitor's operations (no scheduler). */
  operations(): MonitorOperations;
}

/**
 * Run `work` with the command's context and release it afterwards. `what` names the command in
 * errors ("status failed: …").
 */
export async function withCliContext<T>(
  configPath: string | undefined,
  what: string,
  work: (context: CliContext) => Promise<T>,
): Promise<T> {
  const config = readCliConfig(configPath);
  const engine = createClickHouseEngine(config.clickhouse);
  let operations: MonitorOperations | undefined;
  const context: CliContext = {
    config,
    engine,
    operations: () =>
      (operations ??= createMonitorOperations({ config, engine, logger: createLogger(what) })),
  };
  try {
    return await work(context);
  } catch (error) {
    if (error instanceof MonitorInputError) throw new CliError(error.message);
    if (error instanceof ClickHouseError) throw new CliError(`${what} failed: ${error.message}`);
    throw error;
  } finally {
    await engine.close();
  }
}
