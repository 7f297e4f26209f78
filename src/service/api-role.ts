// The api role: the HTTP API (src/api) on server.host:server.port, serving /metrics, /healthz and
// /readyz from the process's registry and roles as well (the service then starts no second
// listener). Its monitoring operations are those of the process's one monitor
// (ServiceContext.monitor): an evaluation through the API shares the monitor role's queue and
// sets the gauges this process exports. The api role never starts or stops that monitor; without
// the monitor role in the process it is never started, so only the API evaluates with it. While
// the monitor role runs the alert engine here, silences reach it at once and retrains go through
// its service.
import { createAlertsApi } from "../../alerts/index.js";
import { startApiServer } from "../api/index.js";
import type { RoleStarter, RunningRole } from "./role.js";

/** How long a Kafka reachability answer is reused by /readyz. */
const KAFKA_CHECK_TTL_MS = 5_000;

export const startApiRole: RoleStarter = async (context): Promise<RunningRole> => {
  const { config } = context;
  const logger = context.logger.child({ role: "api" });
  const producer = context.kafka.producer();
  await producer.connect();
  const admin = context.kafka.admin();
  let adminConnected = false;
  let kafkaCheck: { at: number; problem: Promise<string> } | undefined;
  const kafkaReadiness = (): Promise<string> => {
    const now = Date.now();
    if (kafkaCheck === undefined || now - kafkaCheck.at > KAFKA_CHECK_TTL_MS) {
      kafkaCheck = {
        at: now,
        problem: (async () => {
          try {
            if (!adminConnected) {
              await admin.connect();
              adminConnected = true;
            }
            await admin.listTopics();
            return "";
          } catch (error) {
            return `Kafka unreachable: ${(error as Error).message}`;
          }
        })(),
      };
    }
    return kafkaCheck.problem;
  };
  const monitor = context.monitor();
  const alertsApi = createAlertsApi({
    config: config.alerts,
    store: { engine: context.engine, database: config.clickhouse.database },
    logger,
    engine: context.alertEngine,
  });
  // MLflow webhooks may arrive at any instance: the follower registers what an alias moved to.
  const mlflowWebhook = context.mlflow?.()?.webhook;
  let server;
  try {
    server = await startApiServer({
      config,
      engine: context.engine,
      producer,
      monitor,
      alertsApi,
      registry: context.registry,
      logger,
      ...(mlflowWebhook !== undefined ? { mlflowWebhook } : {}),
      readiness: {
        kafka: kafkaReadiness,
        ...(context.readiness !== undefined ? { roles: context.readiness } : {}),
      },
    });
  } catch (error) {
    await alertsApi.close();
    await producer.close();
    throw error;
  }
  logger.info({ port: server.port }, "serving /metrics, /healthz, /readyz and the HTTP API");
  const listening = server;
  return {
    name: "api",
    port: listening.port,
    readiness: () => "",
    onFatal: () => {},
    stop: async () => {
      let clean = true;
      for (const step of [
        () => listening.close(),
        () => alertsApi.close(),
        () => producer.close(),
        () => (adminConnected ? admin.close() : Promise.resolve()),
      ]) {
        try {
          await step();
        } catch (error) {
          clean = false;
          logger.error({ err: error }, "api role did not stop cleanly");
        }
      }
      return clean;
    },
  };
};
