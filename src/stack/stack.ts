// `stack up|down|status` as a programmatic API: bring ClickHouse, Kafka and Prometheus up under
// the stack directory (reusing healthy servers already on their ports), report, and stop them.
import { mkdirSync } from "node:fs";
import { installMissing, type Progress } from "./apt.js";
import {
  stackComponents,
  type ComponentName,
  type ComponentPort,
  type StackComponent,
} from "./components.js";
import { StackError } from "./errors.js";
import { resolveStackDir } from "./layout.js";
import { withStackLock } from "./lock.js";
import { describePortOwner, listeningPorts, portOwner } from "./port-owner.js";
import { resolvePorts, type StackPorts } from "./ports.js";
import { isPortListening, logExcerpt, pollUntil } from "./probes.js";

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
}

/** The environment a driftwatch process needs to use this stack. */
export interface StackEnv {
  readonly DRIFTWATCH_KAFKA_BROKERS: string;
  readonly DRIFTWATCH_CLICKHOUSE_URL: string;
  readonly DRIFTWATCH_CLICKHOUSE_DATABASE: string;
  readonly DRIFTWATCH_PROMETHEUS_URL: string;
}

export interface ComponentReport {
  readonly name: ComponentName;
  readonly title: string;
  readonly ports: readonly ComponentPort[];
  /** Answers its health check (ClickHouse /ping, Kafka metadata, Prometheus /-/ready). */
  readonly healthy: boolean;
  /** A process holds its main port or this stack directory's pid file names a live process. */
  readonly running: boolean;
  /** Started from this stack directory (so `stack down` stops it). */
  readonly managed: boolean;
  readonly pid?: number;
  readonly version?: string;
  /** up: started now or reused; down: stopped or left running. */
  readonly action?: "started" | "reused" | "stopped" | "left running" | "not running";
  readonly warning?: string;
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
}

interface Resolved {
  readonly dir: string;
  readonly ports: StackPorts;
  readonly timeoutMs: number;
  readonly progress: Progress;
  readonly components: StackComponent[];
}

function resolveOptions(options: StackOptions): Resolved {
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

function portConflict(component: StackComponent, port: ComponentPort): StackError {
  return new StackError(
    `port ${port.port} (${component.title} ${port.label}) is held by ${describePortOwner(port.port)}, ` +
      `which is not a healthy ${component.title}. Stop it, or move the stack's ${component.title} to a free ` +
      `port with ${port.envVar}=<port>.`,
  );
}

type Plan =
  { readonly kind: "reuse"; readonly report: ComponentReport } | { readonly kind: "start" };

async function plan(component: StackComponent, resolved: Resolved): Promise<Plan> {
  const mainPort = component.ports[0]!.port;
  let health = await component.probe();
  const managed = component.managedPid();
  if (!health.healthy && managed !== undefined) {
    const owner = portOwner(mainPort);
    const ownPorts = listeningPorts(managed);
    if (owner !== undefined && owner.pid !== managed) {
      throw portConflict(component, component.ports[0]!);
    }
    if (owner === undefined && ownPorts.length > 0) {
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
    const pid = managed ?? portOwner(mainPort)?.pid;
    return {
      kind: "reuse",
      report: {
        name: component.name,
        title: component.title,
        ports: component.ports,
        healthy: true,
        running: true,
        managed: managed !== undefined,
        pid,
        version: health.version,
        action: "reused",
        warning: health.warning,
      },
    };
  }
  for (const port of component.ports) {
    if (await isPortListening(port.port)) throw portConflict(component, port);
  }
  return { kind: "start" };
}

function announceReuse(
  component: StackComponent,
  report: ComponentReport,
  progress: Progress,
): void {
  const version = report.version === undefined ? "" : ` (version ${report.version})`;
  const owner = report.managed ? "" : ", not started by driftwatch";
  progress(
    `${component.name}: healthy on port ${component.ports[0]!.port}${version}${owner}: reusing it`,
  );
  if (report.warning !== undefined) progress(`${component.name}: warning: ${report.warning}`);
}

/** Start components in parallel; every failure is reported, not only the first. */
async function startAll(
  components: readonly StackComponent[],
  progress: Progress,
): Promise<Map<ComponentName, ComponentReport>> {
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
  if (failures.length > 0) throw new StackError(`stack up failed:\n${failures.join("\n")}`);
  return new Map(
    outcomes.flatMap((outcome) =>
      outcome.status === "fulfilled" ? [[outcome.value.name, outcome.value] as const] : [],
    ),
  );
}

/**
 * Bring the stack up: reuse healthy servers on its ports, install what is missing (apt, mvn),
 * start the rest detached, wait until each is ready. Idempotent.
 */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const resolved = resolveOptions(options);
  mkdirSync(resolved.dir, { recursive: true });
  const onWait = (holder: number | undefined): void =>
    resolved.progress(`waiting for another stack command (pid ${holder ?? "?"}) to finish`);
  const components = await withStackLock(
    resolved.dir,
    resolved.timeoutMs + 60_000,
    onWait,
    async () => {
      const plans = await Promise.all(
        resolved.components.map((component) => plan(component, resolved)),
      );
      const toStart: StackComponent[] = [];
      resolved.components.forEach((component, index) => {
        const current = plans[index]!;
        if (current.kind === "reuse") announceReuse(component, current.report, resolved.progress);
        else toStart.push(component);
      });
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
      const started = await startAll(toStart, resolved.progress);
      return resolved.components.map((component, index) => {
        const current = plans[index]!;
        return current.kind === "reuse" ? current.report : started.get(component.name)!;
      });
    },
  );
  return { dir: resolved.dir, env: stackEnv(resolved.ports), components };
}

async function report(component: StackComponent): Promise<ComponentReport> {
  const mainPort = component.ports[0]!.port;
  const [health, listening] = await Promise.all([component.probe(), isPortListening(mainPort)]);
  const managed = component.managedPid();
  return {
    name: component.name,
    title: component.title,
    ports: component.ports,
    healthy: health.healthy,
    running: listening || managed !== undefined,
    managed: managed !== undefined,
    pid: managed ?? (listening ? portOwner(mainPort)?.pid : undefined),
    version: health.version,
    warning: health.warning,
  };
}

/** Health, pid, ports and version of each component; `healthy` when all are. */
export async function stackStatus(options: StackOptions = {}): Promise<StackStatusResult> {
  const resolved = resolveOptions(options);
  const components = await Promise.all(resolved.components.map(report));
  return {
    dir: resolved.dir,
    healthy: components.every((component) => component.healthy),
    components,
  };
}

/** Stop what `stack up` started from this directory (data is kept); others are left running. */
export async function stackDown(options: StackOptions = {}): Promise<StackStatusResult> {
  const resolved = resolveOptions(options);
  const components = await Promise.all(
    resolved.components.map(async (component): Promise<ComponentReport> => {
      const pid = component.managedPid();
      if (pid !== undefined) resolved.progress(`${component.name}: stopping pid ${pid}`);
      const stopped = await component.stop();
      const after = await report(component);
      if (!stopped && after.running) {
        resolved.progress(
          `${component.name}: not started from ${resolved.dir}` +
            `${after.pid === undefined ? "" : ` (pid ${after.pid})`}: left running`,
        );
      }
      return {
        ...after,
        action: stopped ? "stopped" : after.running ? "left running" : "not running",
      };
    }),
  );
  return {
    dir: resolved.dir,
    healthy: components.every((component) => component.healthy),
    components,
  };
}
