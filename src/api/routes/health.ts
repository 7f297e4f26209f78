// Operational routes, public: GET /healthz (alive), /readyz (ClickHouse ping and the other
// checks: generic reasons only, the details go to the log), /metrics (the process's Prometheus
// registry).
import type { FastifyInstance } from "fastify";
import type { ApiContext, AsyncReadinessCheck } from "../context.js";
import { publicReadinessReason, readinessChangeLogger } from "../readiness.js";
import { HealthBody, MetricsText, ReadinessBody } from "../schemas/health.js";

const CHECK_TIMEOUT_MS = 2_000;

/** "" when ready, else the detailed reason (for the log only). */
async function runCheck(check: AsyncReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<string>((resolve) => {
        timer = setTimeout(
          () => resolve(`no answer within ${CHECK_TIMEOUT_MS} ms`),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    return (error as Error).message || "failed";
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get(
    "/healthz",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "The process is alive",
        response: { 200: { ...HealthBody, description: "alive" } },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  const checks: Record<string, AsyncReadinessCheck> = {
    clickhouse: async () => {
      await context.engine.ping();
      return "";
    },
    ...context.readiness,
  };
  const logChange = readinessChangeLogger((name, detail, previous) => {
    if (detail === "") app.log.info({ check: name, was: previous }, "readiness check passes again");
    else app.log.warn({ check: name, reason: detail }, "readiness check fails");
  });
  app.get(
    "/readyz",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "Ready to serve: ClickHouse answers, Kafka is reachable, roles are running",
        description:
          "Each check says `ok` or a generic reason (e.g. `clickhouse unavailable`); details are logged.",
        response: {
          200: { ...ReadinessBody, description: "every check passes" },
          503: { ...ReadinessBody, description: "a check fails (its reason names no address)" },
        },
      },
    },
    async (_request, reply) => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => runCheck(checks[name]!)));
      const report: Record<string, string> = {};
      names.forEach((name, index) => {
        const detail = results[index]!;
        logChange(name, detail);
        report[name] = detail === "" ? "ok" : publicReadinessReason(name, detail);
      });
      const ready = results.every((result) => result === "");
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? "ready" : "not ready", checks: report });
    },
  );

  app.get(
    "/metrics",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "Prometheus metrics",
        produces: ["text/plain"],
        response: { 200: { ...MetricsText, description: "Prometheus text exposition format" } },
      },
    },
    async (_request, reply) => {
      const text = await context.registry.metrics();
      return reply.type(context.registry.contentType).send(text);
    },
  );
}
