// `driftwatch stack up|down|status`: the local ClickHouse, Kafka and Prometheus under .stack/
// (src/stack does the work; this file parses flags and prints).
import type { Command } from "commander";
import {
  describeOwner,
  exportLines,
  InvalidPortError,
  mlflowStackDown,
  mlflowStackUp,
  ownerLabel,
  PORT_ENV_VARS,
  stackDown,
  StackError,
  stackStatus,
  stackUp,
  type ComponentName,
  type ComponentReport,
  type StackOptions,
} from "../../stack/index.js";
import { CliError } from "../errors.js";
import {
  CLUSTER_HELP,
  clusterDownCommand,
  clusterStatusCommand,
  clusterUpCommand,
  type ClusterFlags,
} from "./stack-cluster.js";

const COMPONENTS: readonly ComponentName[] = ["clickhouse", "kafka", "prometheus"];

interface CommonFlags {
  /** The cluster stack instead of the single-node one (stack-cluster.ts). */
  readonly cluster?: boolean;
  readonly basePort?: string;
  readonly dir?: string;
  readonly only?: string;
  readonly timeout?: string;
  readonly adopt?: boolean;
  /** Optional servers beside the stack: "mlflow". */
  readonly with?: string;
}

const EXTRAS = ["mlflow"] as const;

function extras(flags: CommonFlags): string[] {
  if (flags.with === undefined) return [];
  const names = flags.with.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(EXTRAS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new CliError(`--with: unknown ${unknown.join(", ")} (valid: ${EXTRAS.join(", ")})`);
  }
  return names;
}

function progress(message: string): void {
  process.stderr.write(`driftwatch stack: ${message}\n`);
}

function stackOptions(flags: CommonFlags): StackOptions {
  let components: ComponentName[] | undefined;
  if (flags.only !== undefined) {
    components = flags.only.split(",").map((name) => name.trim()) as ComponentName[];
    const unknown = components.filter((name) => !COMPONENTS.includes(name));
    if (unknown.length > 0) {
      throw new CliError(
        `--only: unknown component ${unknown.join(", ")} (valid: ${COMPONENTS.join(", ")})`,
      );
    }
  }
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new CliError(
        `--timeout: ${JSON.stringify(flags.timeout)} is not a positive number of seconds`,
      );
    }
    timeoutMs = seconds * 1000;
  }
  return { dir: flags.dir, components, timeoutMs, progress, adopt: flags.adopt === true };
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Stack failures (port held, install or start-up failed) exit 1; bad settings exit 2.
    if (error instanceof StackError) throw new CliError(error.message, 1);
    if (error instanceof InvalidPortError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** "/a/.stack (this stack directory)", "/b/.stack (another stack directory)", or the program. */
function ownedBy(component: ComponentReport): string {
  const owner = component.owner;
  if (owner?.kind === "this-stack") return `${owner.stackDir} (this stack directory)`;
  if (owner?.kind === "other-stack") return `${owner.stackDir} (another stack directory)`;
  return describeOwner(owner);
}

/** What the owner column's reader should know beyond the directory or program name. */
function ownerNote(component: ComponentReport): string {
  if (!component.running) return "";
  switch (component.owner?.kind) {
    case "other-stack":
      return "another stack directory's (stack up here refuses it without --adopt)";
    case "program":
    case "unknown":
      return "not started by driftwatch (stack up here refuses it without --adopt)";
    default:
      return "";
  }
}

function statusTable(components: readonly ComponentReport[]): string {
  const rows = components.map((component) => [
    component.name,
    component.healthy ? "healthy" : component.running ? "unhealthy" : "stopped",
    component.ports.map((port) => String(port.port)).join(","),
    component.pid === undefined ? "-" : String(component.pid),
    component.running ? ownerLabel(component.owner) : "-",
    component.version ?? "-",
    [ownerNote(component), component.action ?? "", component.warning ?? ""]
      .filter((note) => note !== "")
      .join("; "),
  ]);
  const header = ["component", "state", "ports", "pid", "owner", "version", "note"];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const PORTS_HELP =
  "\nPorts (env): " +
  Object.values(PORT_ENV_VARS).join(", ") +
  "\nStack directory: DRIFTWATCH_STACK_DIR (default <project>/.stack)" +
  CLUSTER_HELP;

const CLUSTER_FLAG =
  "the cluster stack instead: ZooKeeper, ClickHouse 2 shards x 2 replicas, three Kafka brokers " +
  "(under <stack dir>/cluster)";
const BASE_PORT_FLAG = "--cluster: first of the cluster's ports (default 29100)";

export function registerStack(program: Command): void {
  const stack = program
    .command("stack")
    .description("stack up|down|status: the local ClickHouse, Kafka and Prometheus (under .stack/)")
    .addHelpText("after", PORTS_HELP);

  stack
    .command("up")
    .description(
      "install what is missing, start ClickHouse, Kafka and Prometheus (reusing this stack directory's healthy " +
        "ones, refusing servers of other checkouts or programs on their ports unless --adopt), " +
        'wait until ready and print `export DRIFTWATCH_…` lines (eval "$(driftwatch stack up)")',
    )
    .option("--dir <path>", "stack directory (default DRIFTWATCH_STACK_DIR or <project>/.stack)")
    .option("--only <components>", `comma-separated subset of ${COMPONENTS.join(",")}`)
    .option("--timeout <seconds>", "readiness timeout per component", "120")
    .option(
      "--adopt",
      "use healthy servers of another stack directory or program found on the stack's ports " +
        "(they stay theirs: `stack down` here leaves them running)",
    )
    .option(
      "--with <extras>",
      "also start: mlflow (a local MLflow tracking server on DRIFTWATCH_MLFLOW_PORT, default " +
        "5000, SQLite and artifacts under <stack dir>/mlflow; the pinned mlflow is installed " +
        "into <stack dir>/mlflow-venv on first use)",
    )
    .option("--cluster", CLUSTER_FLAG + "; prints DRIFTWATCH_CLICKHOUSE_CLUSTER=driftwatch too")
    .option("--base-port <port>", BASE_PORT_FLAG)
    .addHelpText("after", PORTS_HELP)
    .action(async (flags: CommonFlags) => {
      if (flags.cluster === true) return guarded(() => clusterUpCommand(flags as ClusterFlags));
      const wanted = extras(flags);
      const result = await guarded(() => stackUp(stackOptions(flags)));
      for (const component of result.components) {
        progress(
          `${component.name}: ${component.action}, pid ${component.pid ?? "?"} on ` +
            `${component.ports.map((port) => port.port).join(",")}, owned by ${ownedBy(component)}`,
        );
      }
      let mlflowExport = "";
      if (wanted.includes("mlflow")) {
        const mlflow = await guarded(() => mlflowStackUp({ stackDir: result.dir, progress }));
        progress(`mlflow: ${mlflow.action}, pid ${mlflow.pid} on ${mlflow.url}`);
        mlflowExport = `\nexport MLFLOW_TRACKING_URI=${mlflow.url}`;
      }
      progress(`stack ready (${result.dir})`);
      process.stdout.write(exportLines(result.env) + mlflowExport + "\n");
    });

  stack
    .command("down")
    .description(
      "stop what `stack up` started from this stack directory (SIGTERM, then SIGKILL); data is kept",
    )
    .option("--dir <path>", "stack directory (default DRIFTWATCH_STACK_DIR or <project>/.stack)")
    .option("--only <components>", `comma-separated subset of ${COMPONENTS.join(",")}`)
    .option("--cluster", CLUSTER_FLAG)
    .option("--base-port <port>", BASE_PORT_FLAG)
    .addHelpText("after", PORTS_HELP)
    .action(async (flags: CommonFlags) => {
      if (flags.cluster === true) return guarded(() => clusterDownCommand(flags as ClusterFlags));
      const result = await guarded(() => stackDown(stackOptions(flags)));
      for (const component of result.components) {
        process.stdout.write(`${component.name}: ${component.action ?? "not running"}\n`);
      }
      // The MLflow server `stack up --with mlflow` started goes down with the whole stack.
      if (flags.only === undefined && (await mlflowStackDown(result.dir))) {
        process.stdout.write("mlflow: stopped\n");
      }
    });

  stack
    .command("status")
    .description(
      "show each component (state, ports, pid, owning stack directory or program, version); " +
        "exit 0 when all are healthy, 1 otherwise",
    )
    .option("--dir <path>", "stack directory (default DRIFTWATCH_STACK_DIR or <project>/.stack)")
    .option("--only <components>", `comma-separated subset of ${COMPONENTS.join(",")}`)
    .option(
      "--json",
      'print the status as JSON: {"servers": [{"name", "kind", "pid", "ports", "dir" (owning stack directory), …}], …}',
    )
    .option(
      "--cluster",
      CLUSTER_FLAG +
        ' (--json: {"servers": [{"name", "kind", "pid", "ports", "dir", "state", "version"}], …})',
    )
    .option("--base-port <port>", BASE_PORT_FLAG)
    .addHelpText("after", PORTS_HELP)
    .action(async (flags: CommonFlags & { json?: boolean }) => {
      if (flags.cluster === true) return guarded(() => clusterStatusCommand(flags));
      const result = await guarded(() => stackStatus(stackOptions(flags)));
      if (flags.json === true) {
        process.stdout.write(JSON.stringify(result) + "\n");
      } else {
        process.stdout.write(statusTable(result.components) + "\n");
      }
      process.exitCode = result.healthy ? 0 : 1;
    });
}
