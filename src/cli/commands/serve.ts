// Placeholder for `driftwatch serve`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve: run the service")
    .action(() => {
      throw new CliError("`serve` is not implemented yet");
    });
}
