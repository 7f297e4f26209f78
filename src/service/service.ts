// The `serve` runtime: shared context (config, logger, metrics registry, ClickHouse engine, Kafka
// client, the one monitor of the process), migrations, the requested roles and the HTTP listener
// for /metrics, /healthz and /readyz. `stop()` stops roles in reverse order; the exit code says
// whether all stopped cleanly.
import { setTimeout as sleep } from "node:timers/promises";
import { assertServerStartable, nodeServerOptions, readTlsCredentials } from "../api/index.js";
import type { DriftwatchConfig } from "../config/index.js";
import { backoffDelayMs } from "../ingest/index.js";
import { createKafkaClient } from "../kafka/index.js";
import { startMetricsServer, type MetricsServer } from "./metrics-listener.js";
import { createMetricsRegistry } from "../metrics/index.js";

import {
  applyMigrations,
  createClickHouseEngine,
  scheduleRetention,
  type RetentionSchedule,
  type SqlEngine,
} from "../store/index.js";
import type { Logger } from "../util/index.js";
import { createEvaluation, type Evaluation } from "./evaluation.js";
import type { RunningRole, ServiceContext } from "./role.js";
import type { ResolvedRole } from "./roles.js";

export interface ServiceOptions {
  readonly config: DriftwatchConfig;
  readonly roles: readonly ResolvedRole[];
  readonly logger: Logger;
  /** Aborting it during start-up abandons the start (e.g. SIGTERM while waiting for ClickHouse). */
  readonly shutdown?: AbortSignal;
}

/** Lifecycle: `startService` resolves once every role runs; `stop()` (or a fatal error) ends it. */
export interface Service {
  /** Port of the /metrics listener. */
  readonly port: number;
  /** Resolves with the exit code once the service has stopped, for whatever reason. */
  readonly finished: Promise<number>;
  /** Stop gracefully; resolves with the exit code (0 when every role stopped cleanly). */
  stop(reason: string): Promise<number>;
}

/** Apply migrations, waiting with backoff while ClickHouse is unreachable. */
async function migrateWhenReachable(
  engine: SqlEngine,
  config: DriftwatchConfig,
  logger: Logger,
  abort: AbortSignal,
): Promise<void> {
  for (let failures = 0; ; failures++) {
    try {
      const applied = await applyMigrations(engine, config.clickhouse.database);
      if (applied.length > 0) logger.info({ applied }, "migrations applied");
      return;
    } catch (error) {
      if (!(error as { retryable?: boolean }).retryable) throw error;
      const delay = backoffDelayMs(config.ingest.retry, failures);
      logger.warn({ err: error, retryInMs: delay }, "ClickHouse unreachable; waiting to migrate");
      await sleep(delay, undefined, { signal: abort });
    }
  }
}

export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, logger } = options;
  // The api role serves /metrics, /healthz and /readyz itself on server.port: one listener only.
  const apiServes = options.roles.some((role) => role.name === "api");
  // Before waiting on ClickHouse or Kafka: a listener that must not start is a config error now.
  assertServerStartable(config, apiServes);
  const registry = createMetricsRegistry();
  const engine = createClickHouseEngine(config.clickhouse);
  const running: RunningRole[] = [];
  const startup = new AbortController();
  options.shutdown?.addEventListener("abort", () => startup.abort(), { once: true });
  let stopping: Promise<number> | undefined;
  let resolveFinished: (code: number) => void = () => {};
  const finished = new Promise<number>((resolve) => (resolveFinished = resolve));
  let server: MetricsServer | undefined;
  let retention: RetentionSchedule | undefined;

  const stop = (reason: string, failed = false): Promise<number> => {
    stopping ??= (async () => {
      logger.info({ reason }, "stopping");
      startup.abort();
      let clean = !failed;
      for (const role of [...running].reverse()) {
        try {
          if (!(await role.stop())) clean = false;
        } catch (error) {
          clean = false;
          logger.error({ err: error, role: role.name }, "role did not stop cleanly");
        }
      }
      await retention?.stop();
      await server?.close();
      await engine.close();
      const code = clean ? 0 : 1;
      logger.info({ exitCode: code }, "stopped");
      resolveFinished(code);
      return code;
    })();
    return stopping;
  };

  const rolesReadiness = (): string => {
    if (running.length < options.roles.length) return "starting";
    return running
      .map((role) => role.readiness())
      .filter((problem) => problem !== "")
      .join("; ");
  };
  try {
    if (!apiServes) {
      server = await startMetricsServer({
        registry,
        host: config.server.host,
        port: config.server.port,
        readiness: { roles: rolesReadiness },
        serverOptions: nodeServerOptions(config.server),
        connectionTimeoutMs: config.server.connectionTimeoutMs,
        ...(config.server.tls !== undefined ? { tls: readTlsCredentials(config.server.tls) } : {}),
        logger,
      });
      logger.info({ port: server.port }, "serving /metrics, /healthz and /readyz");
    }
    await migrateWhenReachable(engine, config, logger, startup.signal);
    // Dropping expired day partitions is idempotent, so every instance may do it (hourly).
    retention = scheduleRetention({ engine, config, logger });
    const kafka = createKafkaClient(config.kafka, logger);
    // One monitor per process, shared by the monitor role (which starts its scheduler) and the api
    // role (which calls its operations): one evaluation queue, its series on this registry; and
    // the alert engine the scheduler runs while this instance evaluates, which the API reaches.
    let evaluation: Evaluation | undefined;
    const evaluationOf = () =>
      (evaluation ??= createEvaluation({ config, engine, kafka, registry, logger }));
    const context: ServiceContext = {
      config,
      logger,
      registry,
      engine,
      kafka,
      monitor: () => evaluationOf().monitor,
      alertEngine: () => evaluation?.alertEngine(),
      mlflow: () => evaluationOf().mlflow,
      readiness: rolesReadiness,
    };
    for (const role of options.roles) {
      if (startup.signal.aborted) break;
      const started = await role.start(context);
      if (stopping !== undefined) {
        // A stop was requested while this role was starting: it is not in `running` yet.
        await started.stop();
        break;
      }
      running.push(started);
      started.onFatal((error) => void stop(`role ${started.name} failed: ${error.message}`, true));
    }
  } catch (error) {
    await stop("start-up failed", true);
    throw error;
  }
  const port = server?.port ?? running.find((role) => role.port !== undefined)?.port ?? -1;
  return { port, finished, stop: (reason) => stop(reason) };
}
