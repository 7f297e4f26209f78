// Placeholder for `driftwatch migrate`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerMigrate(program: Command): void {
  program
    .command("migrate")
    .description("migrate: apply ClickHouse migrations")
    .action(() => {
      throw new CliError("`migrate` is not implemented yet");
    });
}
