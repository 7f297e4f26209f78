// Operational routes, public: GET /healthz (alive), /readyz (ClickHouse ping and the other
// checks), /metrics (the process's Prometheus registry).
import type { FastifyInstance } from "fastify";
import type { ApiContext, AsyncReadinessCheck } from "../context.js";
import { HealthBody, MetricsText, ReadinessBody } from "../schemas/health.js";

const CHECK_TIMEOUT_MS = 2_000;

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
      schema: { tags: ["health"], summary: "The process is alive", response: { 200: HealthBody } },
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
  app.get(
    "/readyz",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "Ready to serve: ClickHouse answers, Kafka is reachable, roles are running",
        response: { 200: ReadinessBody, 503: ReadinessBody },
      },
    },
    async (_request, reply) => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => runCheck(checks[name]!)));
      const report: Record<string, string> = {};
      names.forEach(
        (name, index) => (report[name] = results[index] === "" ? "ok" : results[index]!),
      );
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
        response: { 200: MetricsText },
      },
    },
    async (_request, reply) => {
      const text = await context.registry.metrics();
      return reply.type(context.registry.contentType).send(text);
    },
  );
}
