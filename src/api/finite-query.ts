// Ajv coerces query text to numbers before checking bounds, but a coerced non-finite value
// ("1e400" → Infinity) skips minimum/maximum: refuse it here (a preHandler hook), naming the
// parameter, so it never reaches SQL (`LIMIT inf`).
import type { FastifyRequest } from "fastify";
import { invalidField } from "./error-codes.js";

export async function rejectNonFiniteQuery(request: FastifyRequest): Promise<void> {
  const query = request.query;
  if (query === null || typeof query !== "object") return;
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw invalidField(name, "must be a finite number");
    }
  }
}
