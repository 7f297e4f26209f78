// Routes whose whole body is optional (evaluate, retrain) say so in their config
// (`optionalBody: true`): a request without a body (e.g. `curl -X POST` with no data) is then
// validated as `{}` rather than refused, and the OpenAPI document marks the body not required.
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route serves a request without a body as if `{}` had been sent. */
    optionalBody?: boolean;
  }
}

/** Whether a route declares its body optional. */
export function hasOptionalBody(route: Pick<RouteOptions, "config">): boolean {
  return (route.config as { optionalBody?: boolean } | undefined)?.optionalBody === true;
}

async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (!request.routeOptions.config.optionalBody) return;
  // Only a missing body: JSON `null` is a body, and not an object.
  if (request.body === undefined) request.body = {};
}

/** The preValidation hook that gives the routes with an optional body their `{}`. */
export function registerOptionalBodies(app: FastifyInstance): void {
  app.addHook("preValidation", emptyBodyAsObject);
}
