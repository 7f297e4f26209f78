// GET /api/v1/audit (admin): who changed what and when, from driftwatch.audit_log.
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { AuditListBody, AuditQuery, type AuditQueryType } from "../schemas/audit.js";
import { isoTime, RANGE_ORDER, timeRange } from "../time-values.js";

const DEFAULT_SPAN_MS = 30 * 86_400_000;

export function registerAuditRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get<{ Querystring: AuditQueryType }>(
    "/api/v1/audit",
    {
      config: { access: "admin", refusals: [RANGE_ORDER] },
      schema: {
        tags: ["audit"],
        summary: "Changes made through the API and CLI, newest first",
        querystring: AuditQuery,
        response: { 200: AuditListBody },
      },
    },
    async (request) => {
      const { query } = request;
      const range = timeRange(query.from, query.to, DEFAULT_SPAN_MS, Date.now());
      const entries = await context.audit.list(
        {
          from: range.from,
          // Without `to`, nothing written up to this very moment is cut off.
          ...(query.to !== undefined ? { to: range.to } : {}),
          ...(query.target !== undefined ? { target: query.target } : {}),
        },
        query.limit ?? 1_000,
      );
      return {
        entries: entries.map((entry) => ({
          at: isoTime(entry.at),
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          detail: entry.detail,
        })),
      };
    },
  );
}
