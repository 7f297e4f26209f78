// `stack status` and `stack down`: what runs for each component of a stack directory, who owns
// it (this stack directory, another one, another program), and stopping what this directory started.
import type { StackComponent } from "./components.js";
import { describeOwner, ownerOfPort } from "./ownership.js";
import { isPortListening } from "./probes.js";
import { commandLine } from "./processes.js";
import { stackServers } from "./servers.js";
import {
  resolveOptions,
  type ComponentReport,
  type StackOptions,
  type StackStatusResult,
} from "./stack.js";

function joinWarnings(...warnings: (string | undefined)[]): string | undefined {
  const present = warnings.filter((warning) => warning !== undefined);
  return present.length === 0 ? undefined : present.join("; ");
}

async function report(component: StackComponent, dir: string): Promise<ComponentReport> {
  const mainPort = component.ports[0]!.port;
  const [health, listening] = await Promise.all([component.probe(), isPortListening(mainPort)]);
  const managed = component.managedPid();
  const holder = listening
    ? (ownerOfPort(mainPort, dir, managed) ?? { kind: "unknown" })
    : undefined;
  let owner = holder;
  let warning = health.warning;
  if (managed !== undefined && holder?.pid !== managed) {
    // This directory's server runs, but another process (or none yet) is on the port asked about.
    owner = {
      kind: "this-stack",
      stackDir: dir,
      serverDir: component.dir,
      pid: managed,
      command: commandLine(managed),
    };
    const running = Object.values(component.runningPorts() ?? {});
    warning = joinWarnings(
      warning,
      running.length === 0 || running.includes(mainPort)
        ? undefined
        : `this stack directory's ${component.title} (pid ${managed}) runs on port(s) ` +
            `${running.join(", ")}, not on ${mainPort} (started with other DRIFTWATCH_STACK_*_PORT ` +
            "values, e.g. by a test run)",
      holder === undefined ? undefined : `port ${mainPort} is held by ${describeOwner(holder)}`,
    );
  }
  return {
    name: component.name,
    title: component.title,
    ports: component.ports,
    healthy: health.healthy,
    running: listening || managed !== undefined,
    managed: managed !== undefined,
    pid: owner?.pid,
    owner,
    version: health.version,
    warning,
  };
}

function statusResult(dir: string, components: readonly ComponentReport[]): StackStatusResult {
  return {
    dir,
    healthy: components.every((component) => component.healthy),
    components,
    servers: stackServers(dir, components),
  };
}

/** Health, pid, ports, version and owner of each component; `healthy` when all are. */
export async function stackStatus(options: StackOptions = {}): Promise<StackStatusResult> {
  const resolved = resolveOptions(options);
  const components = await Promise.all(
    resolved.components.map((component) => report(component, resolved.dir)),
  );
  return statusResult(resolved.dir, components);
}

/** Stop what `stack up` started from this directory (data is kept); others are left running. */
export async function stackDown(options: StackOptions = {}): Promise<StackStatusResult> {
  const resolved = resolveOptions(options);
  const components = await Promise.all(
    resolved.components.map(async (component): Promise<ComponentReport> => {
      const pid = component.managedPid();
      if (pid !== undefined) resolved.progress(`${component.name}: stopping pid ${pid}`);
      const stopped = await component.stop();
      const after = await report(component, resolved.dir);
      if (!stopped && after.running) {
        resolved.progress(
          `${component.name}: owned by ${describeOwner(after.owner)}, not started from ` +
            `${resolved.dir}: left running`,
        );
      }
      return {
        ...after,
        action: stopped ? "stopped" : after.running ? "left running" : "not running",
      };
    }),
  );
  return statusResult(resolved.dir, components);
}
