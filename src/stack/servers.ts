// The `servers` list of `stack status --json`: one entry per server, its own directory and the
// stack directory that owns it (DESIGN: {"servers": [{"name", "kind", "pid", "ports", "dir"}]},
// `dir` the server's directory; owner fields added).
import { join } from "node:path";
import type { ComponentName } from "./components.js";
import type { OwnerKind } from "./ownership.js";
import type { ComponentReport } from "./component-report.js";

export interface StackServer {
  readonly name: string;
  readonly kind: ComponentName;
  /** null when it is not running. */
  readonly pid: number | null;
  readonly ports: readonly number[];
  /**
   * The server's own directory (`<stack dir>/<kind>`, its config and data), when known; null for
   * another program's or an unseen process.
   */
  readonly dir: string | null;
  /**
   * The stack directory that owns the server: this one, another checkout's (`owner`
   * "other-stack"), or null for another program's or an unseen process. A stopped server is
   * this stack directory's.
   */
  readonly owner_dir: string | null;
  readonly owner: OwnerKind | "none";
  readonly state: "healthy" | "unhealthy" | "stopped";
  /** Started from this stack directory: `stack down` here stops it. */
  readonly managed: boolean;
  readonly version: string | null;
  /** The command line, for another program's server. */
  readonly command?: string;
  readonly warning?: string;
}

export function stackServers(dir: string, components: readonly ComponentReport[]): StackServer[] {
  return components.map((component) => {
    const owner = component.running ? component.owner : undefined;
    const ownerDir =
      owner === undefined
        ? dir
        : owner.kind === "program" || owner.kind === "unknown"
          ? null
          : (owner.stackDir ?? null);
    return {
      name: component.name,
      kind: component.name,
      pid: component.pid ?? null,
      ports: component.ports.map((port) => port.port),
      dir: owner === undefined ? join(dir, component.name) : (owner.serverDir ?? null),
      owner_dir: ownerDir,
      owner: owner?.kind ?? "none",
      state: component.healthy ? "healthy" : component.running ? "unhealthy" : "stopped",
      managed: component.managed,
      version: component.version ?? null,
      ...(owner?.kind === "program" ? { command: owner.command } : {}),
      ...(component.warning === undefined ? {} : { warning: component.warning }),
    };
  });
}
