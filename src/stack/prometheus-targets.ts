/**
 * Extra scrape targets for the stack's Prometheus, added at run time: a JSON file per target in
 * `<stack dir>/prometheus/targets/` (file_sd_configs), picked up within a few seconds.
 *
 *   const target = registerPrometheusTarget("ingest-test", `127.0.0.1:${port}`);
 *   // … Prometheus scrapes http://127.0.0.1:<port>/metrics with job="driftwatch" …
 *   target.unregister();
 *
 * Labels default to { job: "driftwatch", driftwatch_target: name }; pass `labels` to change them.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveStackDir } from "./layout.js";
import { prometheusFiles } from "./prometheus-config.js";

const TARGET_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const HOST_PORT = /^[A-Za-z0-9_.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/;

export interface PrometheusTargetOptions {
  /** Stack directory (default DRIFTWATCH_STACK_DIR or `<project>/.stack`). */
  readonly stackDir?: string;
  /** Target labels; `job` here overrides the scrape job's name. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PrometheusTarget {
  /** The file_sd JSON file written. */
  readonly file: string;
  /** Remove the target (Prometheus stops scraping it at its next refresh). */
  unregister(): void;
}

export function registerPrometheusTarget(
  name: string,
  hostPort: string,
  options: PrometheusTargetOptions = {},
): PrometheusTarget {
  if (!TARGET_NAME.test(name)) {
    throw new Error(
      `prometheus target name ${JSON.stringify(name)} must match ${TARGET_NAME.source}`,
    );
  }
  if (!HOST_PORT.test(hostPort)) {
    throw new Error(`prometheus target ${JSON.stringify(hostPort)} must be host:port`);
  }
  const files = prometheusFiles(join(options.stackDir ?? resolveStackDir(), "prometheus"));
  mkdirSync(files.targets, { recursive: true });
  const file = join(files.targets, `${name}.json`);
  const labels = { job: "driftwatch", driftwatch_target: name, ...options.labels };
  // Write then rename: Prometheus never reads a half-written file (it ignores *.json.tmp).
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify([{ targets: [hostPort], labels }], null, 2) + "\n");
  renameSync(staging, file);
  return { file, unregister: () => rmSync(file, { force: true }) };
}
