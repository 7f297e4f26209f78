// Builds the HTTP API (fastify): OpenAPI generation, error handling, authentication, then the
// routes, one file per resource. It does not listen: server.ts does; tests use `app.inject`.
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { AuditLog } from "../audit/index.js";
import { apiMetrics } from "./api-metrics.js";
import { registerAuth } from "./auth/auth-hook.js";
import type { ApiContext, ApiDependencies } from "./context.js";
import { registerErrorHandling } from "./error-handler.js";
import { registerAlertRoutes } from "./routes/alerts.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerModelRoutes } from "./routes/models.js";
import { registerOpenApiRoute } from "./routes/openapi.js";
import { registerReferenceRoutes } from "./routes/references.js";
import { registerResultRoutes } from "./routes/results.js";
import { ErrorBody } from "./schemas/common.js";

/** Request-log paths that could carry secrets. */
const REDACTED_PATHS = [
  "req.headers.authorization",
  "request.headers.authorization",
  "headers.authorization",
  "authorization",
];

export const API_VERSION = "1";

export async function buildApp(dependencies: ApiDependencies): Promise<FastifyInstance> {
  const { config } = dependencies;
  const context: ApiContext = {
    ...dependencies,
    audit: dependencies.audit ?? new AuditLog(dependencies.engine, config.clickhouse.database),
    metrics: apiMetrics(dependencies.registry),
  };
  const logger = dependencies.logger.child(
    { component: "api" },
    { redact: { paths: REDACTED_PATHS, censor: "[redacted]" } },
  );
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.server.bodyLimitBytes,
    // Unknown fields are errors (named in the answer), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
  }) as unknown as FastifyInstance;

  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "driftwatch API",
        version: API_VERSION,
        description:
          "Model monitoring and drift detection. Errors: `{error: {code, message, field?}}`; " +
          "see docs/api.md for the DW_ERR_… codes and the roles each route needs.",
      },
      components: {
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
      },
      security: [{ bearerAuth: [] }],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === "string" ? json.$id : `def-${index}`,
    },
  });
  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  registerAuth(app, config.auth);
  app.addHook("onResponse", async (request, reply) => {
    // The route pattern, never the raw URL: label values stay bounded.
    const route = request.routeOptions.url ?? "unmatched";
    const method = request.method;
    context.metrics.requests.inc({
      route,
      method,
      status: `${Math.floor(reply.statusCode / 100)}xx`,
    });
    context.metrics.duration.observe({ route, method }, reply.elapsedTime / 1000);
  });

  registerHealthRoutes(app, context);
  registerOpenApiRoute(app);
  registerEventRoutes(app, context);
  registerModelRoutes(app, context);
  registerReferenceRoutes(app, context);
  registerResultRoutes(app, context);
  registerAlertRoutes(app, context);
  registerAuditRoutes(app, context);
  await app.ready();
  return app;
}
