// What a CLI command works with: the config (from --config, else DRIFTWATCH_CONFIG, else
// defaults), a ClickHouse engine, and the monitor's operations, built on first use and released
// afterwards. Store errors and input errors (the monitor's, and those the command names) become
// one-line CliErrors (exit 2). Every command that reads or writes ClickHouse goes through here.
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

/** An error class whose instances are the user's mistakes, told as their message alone. */
export type InputErrorClass = abstract new (...args: never[]) => Error;

/**
 * Run `work` with the command's context and release it afterwards. `what` names the command in
 * errors ("status failed: …"); `inputErrors` are further error classes told as their message.
 */
export async function withCliContext<T>(
  configPath: string | undefined,
  what: string,
  work: (context: CliContext) => Promise<T>,
  inputErrors: readonly InputErrorClass[] = [],
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
    if ([MonitorInputError, ...inputErrors].some((kind) => error instanceof kind)) {
      throw new CliError((error as Error).message);
    }
    if (error instanceof ClickHouseError) throw new CliError(`${what} failed: ${error.message}`);
    throw error;
  } finally {
    await engine.close();
  }
}
