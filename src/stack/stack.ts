// `stack up` as a programmatic API (status and down: stack-status.ts): bring ClickHouse, Kafka and
// Prometheus up under the stack directory, reusing its own healthy servers and refusing other
// owners' unless adopted.
import { mkdirSync } from "node:fs";
import { installMissing, type Progress } from "./apt.js";
import {
  stackComponents,
  type ComponentName,
  type ComponentPort,
  type StackComponent,
} from "./components.js";
import type { ComponentReport } from "./component-report.js";
import { StackError } from "./errors.js";
import { resolveStackDir } from "./layout.js";
import { withStackLock } from "./lock.js";
import { describeOwner, ownerOfPort, type ServerOwner } from "./ownership.js";
import { listeningPorts, portOwner } from "./port-owner.js";
import { resolvePorts, type StackPorts } from "./ports.js";
import { isPortListening, logExcerpt, pollUntil } from "./probes.js";
import { writePidFile } from "./processes.js";
import type { StackServer } from "./servers.js";
import { forgetStartedByTestRun } from "./test-runs.js";

export interface StackOptions {
  /** Stack directory (default DRIFTWATCH_STACK_DIR, else `<project>/.stack`). */
  readonly dir?: string;
  /** Port overrides on top of DRIFTWATCH_STACK_*_PORT and the defaults. */
  readonly ports?: Partial<StackPorts>;
  /** Environment to read settings from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Only these components (default all three). */
  readonly components?: readonly ComponentName[];
  /** How long to wait for each component to become ready (default 120 s). */
  readonly timeoutMs?: number;
  /** Receives progress lines (the CLI prints them on stderr). */
  readonly progress?: Progress;
  /**
   * up: use healthy servers of another stack directory or program found on the stack's ports
   * (default: refuse them). They stay theirs: `stack down` here leaves them running.
   */
  readonly adopt?: boolean;
}

export type { ComponentReport } from "./component-report.js";

/** The environment a driftwatch process needs to use this stack. */
export interface StackEnv {
  readonly DRIFTWATCH_KAFKA_BROKERS: string;
  readonly DRIFTWATCH_CLICKHOUSE_URL: string;
  readonly DRIFTWATCH_CLICKHOUSE_DATABASE: string;
  readonly DRIFTWATCH_PROMETHEUS_URL: string;
}

export interface StackUpResult {
  readonly dir: string;
  readonly env: StackEnv;
  readonly components: readonly ComponentReport[];
}

export interface StackStatusResult {
  readonly dir: string;
  readonly healthy: boolean;
  readonly components: readonly ComponentReport[];
  /** One entry per server, with the stack directory that owns it (`stack status --json`). */
  readonly servers: readonly StackServer[];
}

export interface Resolved {
  readonly dir: string;
  readonly ports: StackPorts;
  readonly timeoutMs: number;
  readonly progress: Progress;
  readonly adopt: boolean;
  readonly components: StackComponent[];
}

export function resolveOptions(options: StackOptions): Resolved {
  const env = options.env ?? process.env;
  const dir = options.dir ?? resolveStackDir(env);
  const ports = resolvePorts(env, options.ports);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const driftwatchPort = env.DRIFTWATCH_PORT?.trim() || "8080";
  const all = stackComponents({
    stackDir: dir,
    ports,
    listenHost: "127.0.0.1",
    driftwatchTarget: `localhost:${driftwatchPort}`,
    timeoutMs,
  });
  const wanted = options.components;
  return {
    dir,
    ports,
    timeoutMs,
    progress: options.progress ?? (() => undefined),
    adopt: options.adopt ?? false,
    components:
      wanted === undefined ? all : all.filter((component) => wanted.includes(component.name)),
  };
}

/** The env lines `stack up` prints, for a stack on these ports. */
export function stackEnv(ports: StackPorts): StackEnv {
  return {
    DRIFTWATCH_KAFKA_BROKERS: `localhost:${ports.kafka}`,
    DRIFTWATCH_CLICKHOUSE_URL: `http://localhost:${ports.clickhouseHttp}`,
    DRIFTWATCH_CLICKHOUSE_DATABASE: "driftwatch",
    DRIFTWATCH_PROMETHEUS_URL: `http://localhost:${ports.prometheus}`,
  };
}

/** `export NAME=value` lines for a shell's eval. */
export function exportLines(env: StackEnv): string {
  return Object.entries(env)
    .map(([name, value]) => `export ${name}=${value}`)
    .join("\n");
}

function portList(component: StackComponent): string {
  return component.ports.map((port) => `${port.label} ${port.port}`).join(", ");
}

function portConflict(component: StackComponent, port: ComponentPort, dir: string): StackError {
  const owner = ownerOfPort(port.port, dir) ?? { kind: "unknown" };
  return new StackError(
    `port ${port.port} (${component.title} ${port.label}) is held by ${describeOwner(owner)}, ` +
      `which is not a healthy ${component.title}. Stop it, or move the stack's ${component.title} to a free ` +
      `port with ${port.envVar}=<port>.`,
  );
}

interface Refusal {
  readonly component: StackComponent;
  readonly owner: ServerOwner;
}

function refusedOwner(owner: ServerOwner): string {
  if (owner.kind === "other-stack") {
    return `another stack directory, ${owner.stackDir} (pid ${owner.pid})`;
  }
  if (owner.kind === "program") return `another program, ${describeOwner(owner)}`;
  return describeOwner(owner);
}

/** One message for every server `stack up` will not use, with the ways out. */
function refusalError(refusals: readonly Refusal[], dir: string): StackError {
  const lines = refusals.map(
    ({ component, owner }) =>
      `  - ${component.title} on port ${component.ports[0]!.port} belongs to ${refusedOwner(owner)}`,
  );
  const otherDirs = [
    ...new Set(
      refusals.flatMap(({ owner }) =>
        owner.kind === "other-stack" && owner.stackDir !== undefined ? [owner.stackDir] : [],
      ),
    ),
  ];
  const portSettings = refusals
    .flatMap(({ component }) => component.ports.map((port) => `${port.envVar}=<port>`))
    .join(" ");
  const ways = [
    "  - use them on purpose: `driftwatch stack up --adopt` (they stay theirs: " +
      "`driftwatch stack down` here leaves them running);",
    ...otherDirs.map(
      (other) =>
        `  - stop them: \`driftwatch stack down --dir ${other}\` (with the DRIFTWATCH_STACK_*_PORT ` +
        "values that stack was started with);",
    ),
    `  - or give this stack other ports: ${portSettings} (the test command picks free ports by itself).`,
  ];
  return new StackError(
    `stack up refused: servers that stack directory ${dir} does not own hold its ports:\n` +
      `${lines.join("\n")}\n` +
      "driftwatch does not reuse them silently: their data, Prometheus targets and lifetime belong " +
      `to their owner. Either\n${ways.join("\n")}`,
  );
}

type Plan =
  | { readonly kind: "reuse"; readonly report: ComponentReport }
  | { readonly kind: "refuse"; readonly owner: ServerOwner }
  | { readonly kind: "start" };

async function plan(component: StackComponent, resolved: Resolved): Promise<Plan> {
  const mainPort = component.ports[0]!.port;
  let health = await component.probe();
  let managed = component.managedPid();
  if (!health.healthy && managed !== undefined) {
    const holder = portOwner(mainPort);
    const ownPorts = listeningPorts(managed);
    if (holder !== undefined && holder.pid !== managed) {
      throw portConflict(component, component.ports[0]!, resolved.dir);
    }
    if (holder === undefined && ownPorts.length > 0) {
      throw new StackError(
        `${component.title} started from ${resolved.dir} (pid ${managed}) listens on port(s) ` +
          `${ownPorts.join(", ")}, not on ${mainPort}; run \`driftwatch stack down\` before changing its ports.`,
      );
    }
    // Started from this directory and still starting (or hung): give it the timeout.
    resolved.progress(`${component.name}: pid ${managed} is running but not ready yet; waiting`);
    const ready = await pollUntil(
      async () => {
        const probe = await component.probe();
        return probe.healthy ? probe : undefined;
      },
      resolved.timeoutMs,
      500,
    );
    if (ready === undefined) {
      throw new StackError(
        `${component.title} (pid ${managed}, ${portList(component)}) was started from ${resolved.dir} but is not ` +
          `healthy after ${Math.round(resolved.timeoutMs / 1000)} s; run \`driftwatch stack down\` and retry.\n` +
          logExcerpt(component.logFile),
      );
    }
    health = ready;
  }
  if (health.healthy) {
    const owner: ServerOwner = ownerOfPort(mainPort, resolved.dir, managed) ?? { kind: "unknown" };
    if (owner.kind !== "this-stack" && !resolved.adopt) return { kind: "refuse", owner };
    if (owner.kind === "this-stack" && managed === undefined && owner.pid !== undefined) {
      // Ours by its command line but the pid file is gone: restore it so `stack down` stops it.
      writePidFile(component.pidFile, owner.pid);
      managed = owner.pid;
    }
    return {
      kind: "reuse",
      report: {
        name: component.name,
        title: component.title,
        ports: component.ports,
        healthy: true,
        running: true,
        managed: owner.kind === "this-stack",
        pid: owner.pid ?? managed,
        owner,
        version: health.version,
        action: owner.kind === "this-stack" ? "reused" : "adopted",
        warning: health.warning,
      },
    };
  }
  for (const port of component.ports) {
    if (await isPortListening(port.port)) throw portConflict(component, port, resolved.dir);
  }
  return { kind: "start" };
}

function announceReuse(report: ComponentReport, progress: Progress): void {
  const version = report.version === undefined ? "" : ` (version ${report.version})`;
  const where = `${report.name}: healthy on port ${report.ports[0]!.port}${version}`;
  if (report.action === "adopted") {
    progress(
      `${where}, owned by ${describeOwner(report.owner)}: adopting it (--adopt); it stays theirs, ` +
        "`stack down` here leaves it running",
    );
  } else {
    progress(`${where}, started from this stack directory (pid ${report.pid}): reusing it`);
  }
  if (report.warning !== undefined) progress(`${report.name}: warning: ${report.warning}`);
}

/**
 * Start components in parallel; every failure is reported, not only the first. With `rollback`,
 * a failure also stops the components this call did start.
 */
async function startAll(
  components: readonly StackComponent[],
  resolved: Resolved,
  rollback: boolean,
): Promise<Map<ComponentName, ComponentReport>> {
  const { progress, dir } = resolved;
  const outcomes = await Promise.allSettled(
    components.map(async (component): Promise<ComponentReport> => {
      progress(`${component.name}: starting on ${portList(component)} (files in ${component.dir})`);
      const began = Date.now();
      const pid = await component.start(progress);
      const health = await component.probe();
      progress(
        `${component.name}: ready in ${((Date.now() - began) / 1000).toFixed(1)} s (pid ${pid})`,
      );
      return {
        name: component.name,
        title: component.title,
        ports: component.ports,
        healthy: true,
        running: true,
        managed: true,
        pid,
        owner: { kind: "this-stack", stackDir: dir, serverDir: component.dir, pid },
        version: health.version,
        action: "started",
      };
    }),
  );
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.status === "rejected"
      ? [
          `${components[index]!.title}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`,
        ]
      : [],
  );
  const started = new Map(
    outcomes.flatMap((outcome) =>
      outcome.status === "fulfilled" ? [[outcome.value.name, outcome.value] as const] : [],
    ),
  );
  if (failures.length > 0) {
    if (rollback) {
      await Promise.all(
        components
          .filter((component) => started.has(component.name))
          .map(async (component) => {
            progress(
              `${component.name}: stopping pid ${started.get(component.name)?.pid} (stack up failed)`,
            );
            await component.stop();
          }),
      );
    }
    throw new StackError(`stack up failed:\n${failures.join("\n")}`);
  }
  return started;
}

/**
 * `stack up` while the caller holds the stack lock: plan every component (refusing other owners'
 * servers unless adopting), install what is missing, start the rest.
 */
export async function stackUpLocked(
  resolved: Resolved,
  { rollback = false }: { readonly rollback?: boolean } = {},
): Promise<ComponentReport[]> {
  const plans = await Promise.all(
    resolved.components.map((component) => plan(component, resolved)),
  );
  const refusals = resolved.components.flatMap((component, index) => {
    const current = plans[index]!;
    return current.kind === "refuse" ? [{ component, owner: current.owner }] : [];
  });
  if (refusals.length > 0) throw refusalError(refusals, resolved.dir);
  const toStart = resolved.components.filter((_, index) => plans[index]!.kind === "start");
  for (const current of plans) {
    if (current.kind === "reuse") announceReuse(current.report, resolved.progress);
  }
  try {
    await installMissing(
      toStart.flatMap((component) => component.requirements()),
      resolved.progress,
    );
  } catch (error) {
    throw new StackError(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const started = await startAll(toStart, resolved, rollback);
  return resolved.components.map((component, index) => {
    const current = plans[index]!;
    return current.kind === "reuse" ? current.report : started.get(component.name)!;
  });
}

export function lockTimeoutMs(resolved: Resolved): number {
  return resolved.timeoutMs + 60_000;
}

export function announceLockWait(resolved: Resolved): (holder: number | undefined) => void {
  return (holder) =>
    resolved.progress(`waiting for another stack command (pid ${holder ?? "?"}) to finish`);
}

/**
 * Bring the stack up: reuse this stack directory's healthy servers, refuse servers of other owners
 * on its ports (unless `adopt`), install what is missing (apt, mvn), start the rest detached, wait
 * until each is ready. Idempotent.
 */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const resolved = resolveOptions(options);
  mkdirSync(resolved.dir, { recursive: true });
  const components = await withStackLock(
    resolved.dir,
    lockTimeoutMs(resolved),
    announceLockWait(resolved),
    async () => {
      const reports = await stackUpLocked(resolved);
      // Servers a test run started here are this stack's now: the test run's end leaves them running.
      forgetStartedByTestRun(
        resolved.dir,
        reports.filter((report) => report.action === "reused").map((report) => report.name),
      );
      return reports;
    },
  );
  return { dir: resolved.dir, env: stackEnv(resolved.ports), components };
}
