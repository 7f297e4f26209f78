// For routes whose whole body is optional (evaluate, retrain): a request without a body (e.g.
// `curl -X POST` with no data) is validated as `{}` rather than refused.
import type { FastifyRequest } from "fastify";

export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}
