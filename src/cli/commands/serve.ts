// `driftwatch serve`: runs the service roles (ingest; monitor and api once built) until SIGTERM or
// SIGINT, then finishes the work in hand and exits 0 (1 when something could not be finished).
import { Option, type Command } from "commander";
import { readCliConfig } from "../config.js";
import { onShutdownSignals, resolveRoles, ROLE_NAMES, startService } from "../../service/index.js";
import { createLogger } from "../../util/index.js";
import { CliError } from "../errors.js";

interface ServeOptions {
  readonly config?: string;
  readonly role: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the service: ingest, monitor (evaluation) and the HTTP API")
    .option(
      "-c, --config <file>",
      "config file (default: $DRIFTWATCH_CONFIG, else built-in defaults)",
    )
    .addOption(
      new Option("-r, --role <role>", "which part of the service to run")
        .choices([...ROLE_NAMES, "all"])
        .default("all"),
    )
    .addHelpText(
      "after",
      `
Roles: ingest (Kafka → ClickHouse), monitor (scheduled evaluation), api (HTTP API, docs/api.md),
all (every role this version implements).
Applies pending ClickHouse migrations first (waiting while ClickHouse is unreachable), then serves
GET /metrics, /healthz and /readyz on server.port (env DRIFTWATCH_PORT, default 8080); with the
api role the HTTP API (/api/v1/…, /openapi.json) is served on that same port.
SIGTERM or SIGINT: the batch in hand is written and committed, then the process exits 0.

Example:
  DRIFTWATCH_KAFKA_BROKERS=localhost:9092 driftwatch serve --role ingest`,
    )
    .action(async (options: ServeOptions) => {
      process.exitCode = await runServe(options);
    });
}

async function runServe(options: ServeOptions): Promise<number> {
  const config = readCliConfig(options.config);
  const roles = resolveRoles(options.role);
  if (typeof roles === "string") throw new CliError(roles);
  const logger = createLogger("driftwatch");
  const shutdown = new AbortController();
  let signalled: string | undefined;
  let stopService: ((reason: string) => Promise<number>) | undefined;
  const removeHandlers = onShutdownSignals((signal) => {
    signalled = signal;
    shutdown.abort();
    void stopService?.(signal);
  });
  try {
    let service;
    try {
      service = await startService({ config, roles, logger, shutdown: shutdown.signal });
    } catch (error) {
      if (signalled !== undefined) return 0;
      throw new CliError(`serve could not start: ${(error as Error).message}`);
    }
    stopService = (reason) => service.stop(reason);
    if (signalled !== undefined) void service.stop(signalled);
    const code = await service.finished;
    // Nothing should keep the process alive now; if a client library left a handle open, do not
    // let it turn a finished shutdown into a hang.
    setTimeout(() => process.exit(code), 5_000).unref();
    return code;
  } finally {
    removeHandlers();
  }
}
