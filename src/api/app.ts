// Builds the HTTP API (fastify): listener options (timeouts, TLS, path limits), OpenAPI
// generation, request validation, error handling, authentication, rate limit, then the routes,
// one file per resource.
// It does not listen: server.ts does; tests use `app.inject`.
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import { AuditLog } from "../audit/index.js";
import { apiMetrics } from "./api-metrics.js";
import { registerAuthentication, registerAuthorization, routeAccess } from "./auth/auth-hook.js";
import type { ApiContext, ApiDependencies } from "./context.js";
import {
  handleClientError,
  handleFrameworkError,
  registerErrorHandling,
  registerUnmatchedAnswers,
  sendError,
} from "./error-handler.js";
import { rejectNonFiniteQuery } from "./finite-query.js";
import { listenerOptions } from "./listener.js";
import { openApiOptions } from "./openapi-document.js";
import { registerRateLimit } from "./rate-limit.js";
import { registerAlertRoutes } from "./routes/alerts.js";
import { registerAuditRoutes } from "./routes/audit.js";
import { redactIngestCredential, registerCloudEventRoutes } from "./routes/cloudevents.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerHealthRoutes } from "./routes/health.js";
import { registerMlflowWebhookRoute } from "./routes/mlflow-webhook.js";
import { registerModelRoutes } from "./routes/models.js";
import { registerOpenApiRoute } from "./routes/openapi.js";
import { registerOptionalBodies } from "./routes/optional-body.js";
import { registerReferenceRoutes } from "./routes/references.js";
import { registerResultRoutes } from "./routes/results.js";
import { ErrorBody, MAX_PATH_SEGMENT_BYTES } from "./schemas/common.js";
import { REFERENCE_KIND_SCHEMAS } from "./schemas/references.js";
import { requestValidatorCompiler } from "./validation.js";

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
    {
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      // Fastify's request fields, with an ingest credential in the path left out.
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactIngestCredential(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
  );
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.server.bodyLimitBytes,
    routerOptions: { maxParamLength: MAX_PATH_SEGMENT_BYTES },
    // Shutdown answers 503 in the error shape (below), not fastify's own body.
    return503OnClosing: false,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
    ...listenerOptions(config.server),
  }) as unknown as FastifyInstance;

  // Bodies are JSON only: text/plain (parsed by default) answers 415 like any other type.
  app.removeContentTypeParser("text/plain");
  await app.register(swagger, openApiOptions(config, API_VERSION));
  app.addSchema(ErrorBody);
  for (const schema of REFERENCE_KIND_SCHEMAS) app.addSchema(schema);
  // Bodies validated as sent (no type coercion), query strings and paths coerced; unknown
  // fields are errors (named in the answer), not silently dropped.
  app.setValidatorCompiler(requestValidatorCompiler(REFERENCE_KIND_SCHEMAS));
  registerErrorHandling(app);
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (request, reply) => {
    // Probes and scrapes still get their answers while in-flight requests finish.
    if (!closing || routeAccess(request) === "public") return;
    void reply.header("connection", "close");
    return sendError(reply, "DW_ERR_UNAVAILABLE", "the server is shutting down; retry later");
  });
  // Who is asking, how often (per token, or client IP), then may they.
  registerAuthentication(app, config.auth);
  await registerRateLimit(app, config.server.rateLimit);
  registerAuthorization(app);
  registerUnmatchedAnswers(app);
  registerOptionalBodies(app);
  app.addHook("preHandler", rejectNonFiniteQuery);
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
  registerCloudEventRoutes(app, context);
  if (context.mlflowWebhook !== undefined) {
    await registerMlflowWebhookRoute(app, context.mlflowWebhook);
  }
  await app.ready();
  return app;
}
