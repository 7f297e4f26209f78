// `driftwatch demo`: the whole loop on the local stack. Lands with the demo issue.
import type { Command } from "commander";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run the end-to-end demo on the local stack (credit-risk model, drift, alerts, retrain)",
    )
    .action(() => {
      process.stdout.write(
        "driftwatch demo: not yet — the end-to-end demo lands with the demo issue.\n" +
          "Meanwhile try: driftwatch check --reference examples/data/reference.csv --current examples/data/current.csv\n",
      );
    });
}
