// Placeholder for `driftwatch send`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerSend(program: Command): void {
  program
    .command("send")
    .description("send --file events.jsonl: produce events to Kafka")
    .action(() => {
      throw new CliError("`send` is not implemented yet");
    });
}
