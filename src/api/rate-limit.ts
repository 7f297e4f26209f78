// Per-token request limits (@fastify/rate-limit, in-process counters): a token's holder is counted
// by its name, anything else (no token, an invalid one) by client IP. Public routes (health,
// metrics, the OpenAPI document) are never limited. Over the limit: 429 DW_ERR_RATE_LIMITED with
// Retry-After, in the API's error shape.
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerRateLimitConfig } from "../config/index.js";
import { routeAccess } from "./auth/auth-hook.js";
import { API_ERRORS } from "./error-codes.js";

/** The bucket a request counts against. */
export function rateLimitKey(request: FastifyRequest): string {
  const { actor } = request;
  return actor.authenticated ? `token:${actor.name}` : `ip:${request.ip}`;
}

/** Register the limiter; its onRequest hook must come after authentication (it reads the actor). */
export async function registerRateLimit(
  app: FastifyInstance,
  settings: ServerRateLimitConfig,
): Promise<void> {
  if (!settings.enabled) return;
  await app.register(rateLimit, { global: false });
  const limitOf = (request: FastifyRequest): number => {
    const { role, authenticated } = request.actor;
    return (
      (authenticated && role !== undefined ? settings.maxByRole[role] : undefined) ?? settings.max
    );
  };
  const check = app.createRateLimit({
    keyGenerator: rateLimitKey,
    max: (request: FastifyRequest) => limitOf(request),
    timeWindow: settings.timeWindowMs,
  });
  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    if (routeAccess(request) === "public" && request.is404 !== true) return;
    const verdict = await check(request);
    if (verdict.isAllowed) return;
    void reply.header("x-ratelimit-limit", verdict.max);
    void reply.header("x-ratelimit-remaining", verdict.isExceeded ? 0 : verdict.remaining);
    void reply.header("x-ratelimit-reset", verdict.ttlInSeconds);
    if (!verdict.isExceeded) return;
    void reply.header("retry-after", verdict.ttlInSeconds);
    const { status } = API_ERRORS.DW_ERR_RATE_LIMITED;
    return reply.code(status).send({
      error: {
        code: "DW_ERR_RATE_LIMITED",
        message: `more than ${verdict.max} requests in ${settings.timeWindowMs} ms; retry in ${verdict.ttlInSeconds} s`,
      },
    });
  });
}
