// Loading the config for a CLI command: a config problem becomes a CliError (exit 2) whose
// message names the YAML path and the reason.
import { ConfigError, loadConfig, type DriftwatchConfig } from "../config/index.js";
import { CliError } from "./errors.js";

/** The config from `--config`, else DRIFTWATCH_CONFIG, else defaults (with env overrides). */
export function readCliConfig(path: string | undefined): DriftwatchConfig {
  try {
    return loadConfig({ path });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
}
