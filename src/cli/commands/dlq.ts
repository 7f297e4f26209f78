// Placeholder for `driftwatch dlq`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerDlq(program: Command): void {
  program
    .command("dlq")
    .description("dlq list|replay: inspect and replay dead letters")
    .action(() => {
      throw new CliError("`dlq` is not implemented yet");
    });
}
