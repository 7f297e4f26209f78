// Placeholder for `driftwatch stack`; replaced by the issue that builds it.
import type { Command } from "commander";
import { CliError } from "../errors.js";

export function registerStack(program: Command): void {
  program
    .command("stack")
    .description("stack up|down|status: the local ClickHouse, Kafka and Prometheus")
    .action(() => {
      throw new CliError("`stack` is not implemented yet");
    });
}
