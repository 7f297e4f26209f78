// `driftwatch demo`: the whole loop on the local stack (src/demo): stack up, simulated credit-risk
// model, drift, alerts to local Slack/SMTP sinks, signed retrain webhook, retrained version.
import type { Command } from "commander";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "run the end-to-end demo on the local stack (credit-risk model, drift, alerts, retrain)",
    )
    .addHelpText(
      "after",
      `
Brings the local stack up (driftwatch stack up), runs serve --role all with
examples/demo/driftwatch.yaml and simulates a credit-risk classifier in accelerated time.
Leaves the stack running and the results in ClickHouse (model credit-risk); a rerun replaces
the demo's own data and nothing else. Exit 0 when every step of the loop happened, 1 otherwise.
Files (config, service logs, CSVs, HTML report) go to .stack/demo/.`,
    )
    .action(async () => {
      // Loaded on demand: the demo's sinks use smtp-server, a development dependency, which a
      // production install (npm ci --omit=dev, the Docker image) does not have.
      const { runDemo } = await import("../../demo/index.js");
      process.exitCode = await runDemo();
    });
}
