// Result routes: GET /api/v1/models/:model/drift?from&to&feature&metric&version&limit and
// GET /api/v1/models/:model/performance?from&to&metric&version&limit (windows by their start).
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { queryDriftResults, queryPerformanceResults } from "../result-queries.js";
import { ModelParams, type ModelParamsType } from "../schemas/common.js";
import {
  DriftQuery,
  DriftResultsBody,
  PerformanceQuery,
  PerformanceResultsBody,
  type DriftQueryType,
  type PerformanceQueryType,
} from "../schemas/results.js";
import { isoTime, RANGE_ORDER, timeRange } from "../time-values.js";

const DEFAULT_SPAN_MS = 7 * 86_400_000;
const DEFAULT_LIMIT = 10_000;

/** The response of both routes: the range asked for and the rows with ISO window times. */
function resultsBody<Row extends { windowStart: number; windowEnd: number }>(
  model: string,
  range: { from: number; to: number },
  found: { rows: Row[]; truncated: boolean },
) {
  return {
    model,
    from: isoTime(range.from),
    to: isoTime(range.to),
    truncated: found.truncated,
    results: found.rows.map((row) => ({
      ...row,
      windowStart: isoTime(row.windowStart),
      windowEnd: isoTime(row.windowEnd),
    })),
  };
}

export function registerResultRoutes(app: FastifyInstance, context: ApiContext): void {
  const database = context.config.clickhouse.database;

  app.get<{ Params: ModelParamsType; Querystring: DriftQueryType }>(
    "/api/v1/models/:model/drift",
    {
      config: { access: "read", refusals: [RANGE_ORDER] },
      schema: {
        tags: ["results"],
        summary: "Drift results per window, feature and metric",
        params: ModelParams,
        querystring: DriftQuery,
        response: { 200: DriftResultsBody },
      },
    },
    async (request) => {
      const { query } = request;
      const range = timeRange(query.from, query.to, DEFAULT_SPAN_MS, Date.now());
      const found = await queryDriftResults(context.engine, database, {
        model: request.params.model,
        ...range,
        limit: query.limit ?? DEFAULT_LIMIT,
        ...(query.version !== undefined ? { modelVersion: query.version } : {}),
        ...(query.feature !== undefined ? { feature: query.feature } : {}),
        ...(query.metric !== undefined ? { metric: query.metric } : {}),
      });
      return resultsBody(request.params.model, range, found);
    },
  );

  app.get<{ Params: ModelParamsType; Querystring: PerformanceQueryType }>(
    "/api/v1/models/:model/performance",
    {
      config: { access: "read", refusals: [RANGE_ORDER] },
      schema: {
        tags: ["results"],
        summary: "Performance (accuracy decay) results per window and metric",
        params: ModelParams,
        querystring: PerformanceQuery,
        response: { 200: PerformanceResultsBody },
      },
    },
    async (request) => {
      const { query } = request;
      const range = timeRange(query.from, query.to, DEFAULT_SPAN_MS, Date.now());
      const found = await queryPerformanceResults(context.engine, database, {
        model: request.params.model,
        ...range,
        limit: query.limit ?? DEFAULT_LIMIT,
        ...(query.version !== undefined ? { modelVersion: query.version } : {}),
        ...(query.metric !== undefined ? { metric: query.metric } : {}),
      });
      return resultsBody(request.params.model, range, found);
    },
  );
}
