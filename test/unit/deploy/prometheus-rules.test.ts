// The shipped Prometheus alerting rules for driftwatch itself (deploy/prometheus/): valid, loaded by
// the shipped Prometheus config, and firing exactly as their unit tests say (`promtool`, from the
// Prometheus package the test stack installs).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIR = fileURLToPath(new URL("../../../deploy/prometheus/", import.meta.url));

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync("promtool", args, { cwd: DIR, encoding: "utf8" });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("deploy/prometheus alerting rules", () => {
  it("are valid rules, each with a severity and a summary", () => {
    const { status, output } = promtool("check", "rules", "driftwatch-alerts.yml");
    expect(status, output).toBe(0);
    expect(output).toMatch(/SUCCESS: 9 rules found/);
  });

  it("are loaded by the shipped prometheus.yml", () => {
    const { status, output } = promtool("check", "config", "prometheus.yml");
    expect(status, output).toBe(0);
    expect(output).toMatch(/driftwatch-alerts\.yml/);
  });

  it("fire and stay quiet as their promtool unit tests expect", () => {
    const { status, output } = promtool("test", "rules", "driftwatch-alerts.test.yml");
    expect(status, output).toBe(0);
    expect(output).toMatch(/SUCCESS/);
  });
});
