// Placeholder for `driftwatch check`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("check --reference R --current C: offline drift report on two files")
    .action(() => {
      throw new CliError("`check` is not implemented yet");
    });
}
