/**
 * The test command's stack (test/setup/global.ts): this checkout's stack directory, on the default
 * ports unless someone else (another checkout's stack, another program) holds them — then on free
 * ports — and stopped at the end of the run when a test run started it.
 *
 *   const run = await startTestStack({ progress });   // lease, ports, `stack up` under the lock
 *   run.env;                                          // DRIFTWATCH_KAFKA_BROKERS, … for the tests
 *   await run.release();                              // vitest teardown
 *
 * Every test run holds a lease (`<stack dir>/test-runs/*.lease`); servers a test run started are
 * marked there and stopped by the last test run to end. Servers this stack directory already ran
 * (`stack up`, the demo) are reused and left running.
 */
import type { Progress } from "./apt.js";
import type { ComponentName, StackComponent } from "./components.js";
import { withStackLock } from "./lock.js";
import { describeOwner, ownerOfPort } from "./ownership.js";
import { DEFAULT_PORTS, explicitPorts, resolvePorts, type StackPorts } from "./ports.js";
import { findFreePort, isPortListening } from "./probes.js";
import {
  announceLockWait,
  lockTimeoutMs,
  resolveOptions,
  stackEnv,
  stackUpLocked,
  type ComponentReport,
  type StackEnv,
} from "./stack.js";
import {
  forgetStartedByTestRun,
  liveLeases,
  markStartedByTestRun,
  removeLease,
  startedByTestRuns,
  writeLease,
  type Lease,
} from "./test-runs.js";
import { resolveStackDir } from "./layout.js";

export interface PortMove {
  readonly component: ComponentName;
  readonly from: readonly number[];
  readonly to: readonly number[];
  readonly reason: string;
}

export interface PortChoice {
  readonly ports: StackPorts;
  /** Components not on their preferred ports, and why. */
  readonly moved: readonly PortMove[];
}

export interface ChoosePortsOptions {
  /** The stack directory whose servers count as ours. */
  readonly dir: string;
  /** DRIFTWATCH_STACK_*_PORT set here are kept as they are (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** The ports wanted when free (default DEFAULT_PORTS). */
  readonly preferred?: StackPorts;
  /** Only these components (default all three); the others keep their preferred ports. */
  readonly components?: readonly ComponentName[];
}

async function freePortsFor(
  component: StackComponent,
  taken: Set<number>,
): Promise<Partial<StackPorts>> {
  const chosen: Partial<Record<keyof StackPorts, number>> = {};
  for (const port of component.ports) {
    let candidate = await findFreePort();
    while (taken.has(candidate)) candidate = await findFreePort();
    taken.add(candidate);
    chosen[port.key] = candidate;
  }
  return chosen;
}

/** Why this component cannot have its ports here: the first one held by someone else. */
async function blockedBy(component: StackComponent, dir: string): Promise<string | undefined> {
  const managed = component.managedPid();
  for (const port of component.ports) {
    if (!(await isPortListening(port.port))) continue;
    const owner = ownerOfPort(port.port, dir, managed) ?? { kind: "unknown" };
    if (owner.kind !== "this-stack") {
      return `port ${port.port} (${component.title} ${port.label}) is held by ${describeOwner(owner)}`;
    }
  }
  return undefined;
}

/**
 * The ports a test run should use, per component: those of this stack directory's server when it
 * runs (wherever it runs), else the preferred ones when free or held by this stack directory, else
 * free ones. Ports set explicitly in env are never moved.
 */
export async function chooseStackPorts(options: ChoosePortsOptions): Promise<PortChoice> {
  const env = options.env ?? process.env;
  const preferred = resolvePorts(env, {}, options.preferred ?? DEFAULT_PORTS);
  const explicit = explicitPorts(env);
  const { components } = resolveOptions({
    dir: options.dir,
    env,
    ports: preferred,
    components: options.components,
  });
  const ports: StackPorts = { ...preferred };
  const taken = new Set(Object.values(preferred));
  const moved: PortMove[] = [];
  for (const component of components) {
    if (component.ports.some((port) => explicit.has(port.key))) continue;
    const from = component.ports.map((port) => port.port);
    const running = component.runningPorts();
    let chosen: Partial<StackPorts> | undefined;
    let reason: string | undefined;
    if (running !== undefined && Object.keys(running).length === component.ports.length) {
      chosen = running;
      reason = `this stack directory's ${component.title} (pid ${component.managedPid()}) runs there`;
    } else {
      reason = await blockedBy(component, options.dir);
      if (reason !== undefined) chosen = await freePortsFor(component, taken);
    }
    if (chosen === undefined) continue;
    Object.assign(ports, chosen);
    for (const port of Object.values(chosen)) taken.add(port);
    const to = component.ports.map((port) => ports[port.key]);
    if (to.some((port, index) => port !== from[index])) {
      moved.push({ component: component.name, from, to, reason: reason ?? "" });
    }
  }
  return { ports, moved };
}

export interface TestStackOptions {
  /** Stack directory (default DRIFTWATCH_STACK_DIR, else `<project>/.stack`). */
  readonly dir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The ports wanted when free (default DEFAULT_PORTS). */
  readonly preferred?: StackPorts;
  readonly components?: readonly ComponentName[];
  readonly timeoutMs?: number;
  readonly progress?: Progress;
}

export interface TestStack {
  readonly dir: string;
  readonly ports: StackPorts;
  readonly env: StackEnv;
  readonly moved: readonly PortMove[];
  readonly components: readonly ComponentReport[];
  /**
   * End of the test run: drop its lease; when no other test run is using the stack directory,
   * stop the servers test runs started (`keep`: leave them running as `stack up` would).
   * Resolves with the components stopped.
   */
  release(options?: { readonly keep?: boolean }): Promise<ComponentName[]>;
}

async function releaseRun(
  lease: Lease,
  options: TestStackOptions & { readonly dir: string },
  keep: boolean,
): Promise<ComponentName[]> {
  const resolved = resolveOptions(options);
  return withStackLock(
    resolved.dir,
    lockTimeoutMs(resolved),
    announceLockWait(resolved),
    async () => {
      removeLease(lease);
      const others = liveLeases(resolved.dir);
      const names = resolved.components.map((component) => component.name);
      const started = startedByTestRuns(resolved.dir, names);
      if (started.size === 0) return [];
      if (others.length > 0) {
        resolved.progress(
          `left running for test run(s) still using ${resolved.dir} (pid ${others.map((other) => other.pid).join(", ")}): ` +
            [...started.keys()].join(", "),
        );
        return [];
      }
      if (keep) {
        resolved.progress(`leaving ${[...started.keys()].join(", ")} running (asked to keep them)`);
        forgetStartedByTestRun(resolved.dir, [...started.keys()]);
        return [];
      }
      const stopped = await Promise.all(
        resolved.components.map(async (component) => {
          const pid = started.get(component.name);
          if (pid === undefined) return [];
          forgetStartedByTestRun(resolved.dir, [component.name]);
          // Restarted or stopped by hand since: no longer the test run's to stop.
          if (component.managedPid() !== pid) return [];
          resolved.progress(`${component.name}: stopping pid ${pid} (started for the tests)`);
          await component.stop();
          return [component.name];
        }),
      );
      return stopped.flat();
    },
  );
}

/** Lease, choose ports, and bring the stack up for a test run (see the top of this file). */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const env = options.env ?? process.env;
  const dir = options.dir ?? resolveStackDir(env);
  const progress = options.progress ?? (() => undefined);
  // The lease exists before the lock is taken: a run ending meanwhile sees it and stops nothing.
  const lease = writeLease(dir);
  try {
    const base = { ...options, dir, env, progress };
    const probe = resolveOptions(base);
    const up = await withStackLock(dir, lockTimeoutMs(probe), announceLockWait(probe), async () => {
      const choice = await chooseStackPorts({
        dir,
        env,
        preferred: options.preferred,
        components: options.components,
      });
      for (const move of choice.moved) {
        progress(
          `${move.component}: ports ${move.to.join(", ")} instead of ${move.from.join(", ")}: ${move.reason}`,
        );
      }
      const resolved = resolveOptions({ ...base, ports: choice.ports });
      const components = await stackUpLocked(resolved, { rollback: true });
      for (const component of components) {
        if (component.action === "started" && component.pid !== undefined) {
          markStartedByTestRun(dir, component.name, component.pid);
        }
      }
      return { choice, components };
    });
    return {
      dir,
      ports: up.choice.ports,
      env: stackEnv(up.choice.ports),
      moved: up.choice.moved,
      components: up.components,
      release: ({ keep = false } = {}) => releaseRun(lease, base, keep),
    };
  } catch (error) {
    removeLease(lease);
    throw error;
  }
}
