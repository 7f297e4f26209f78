// Model routes: GET /api/v1/models, GET /api/v1/models/:model, GET …/:model/status (ok /
// drifting / degraded with reasons) and POST …/:model/evaluate (audited by the monitor with the
// token's name as the actor).
import type { FastifyInstance } from "fastify";
import type { ApiContext } from "../context.js";
import { invalidField, notFound } from "../error-codes.js";
import { errorResponses, ModelParams, type ModelParamsType } from "../schemas/common.js";
import {
  EvaluateBody,
  EvaluationsBody,
  ModelDetailBody,
  ModelListBody,
  ModelStatusBody,
  type EvaluateBodyType,
} from "../schemas/models.js";
import { requestTime } from "../time-values.js";
import { evaluationView, modelSummaryView, referenceView, statusView } from "../views.js";

/** Versions whose reference the detail route looks up (newest last in the monitor's list). */
const DETAIL_REFERENCE_VERSIONS = 20;

export function registerModelRoutes(app: FastifyInstance, context: ApiContext): void {
  const { monitor } = context;
  const knownModel = async (model: string) => {
    const summary = await monitor.getModel(model);
    if (summary === undefined) throw notFound("model", model);
    return summary;
  };

  app.get(
    "/api/v1/models",
    {
      config: { access: "read" },
      schema: {
        tags: ["models"],
        summary: "Models: configured ones and those seen in events",
        response: { 200: ModelListBody },
      },
    },
    async () => ({ models: (await monitor.listModels()).map(modelSummaryView) }),
  );

  app.get<{ Params: ModelParamsType }>(
    "/api/v1/models/:model",
    {
      config: { access: "read" },
      schema: {
        tags: ["models"],
        summary: "One model with the reference of each version",
        params: ModelParams,
        response: { 200: ModelDetailBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      const summary = await knownModel(request.params.model);
      const versions = summary.versions.slice(-DETAIL_REFERENCE_VERSIONS);
      const references = await Promise.all(
        versions.map((version) => monitor.getReference(summary.model, version)),
      );
      return {
        ...modelSummaryView(summary),
        references: references.flatMap((reference) =>
          reference === undefined ? [] : [referenceView(reference)],
        ),
      };
    },
  );

  app.get<{ Params: ModelParamsType }>(
    "/api/v1/models/:model/status",
    {
      config: { access: "read" },
      schema: {
        tags: ["models"],
        summary: "The model's state: ok, drifting or degraded, with reasons (the pipeline gate)",
        params: ModelParams,
        response: { 200: ModelStatusBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      await knownModel(request.params.model);
      return statusView(await monitor.status(request.params.model));
    },
  );

  app.post<{ Params: ModelParamsType; Body: EvaluateBodyType | undefined }>(
    "/api/v1/models/:model/evaluate",
    {
      config: {
        access: "write",
        optionalBody: true,
        refusals: ["a window whose `from` is not before its `to` (field `from`)"],
      },
      schema: {
        tags: ["models"],
        summary: "Evaluate now: the given window, or every due window when the body is empty",
        params: ModelParams,
        body: EvaluateBody,
        response: { 200: EvaluationsBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { model } = request.params;
      await knownModel(model);
      const body = request.body ?? {};
      let window: { from: number; to: number } | undefined;
      // The schema admits both ends of a window or neither.
      if (body.from !== undefined && body.to !== undefined) {
        const now = Date.now();
        window = { from: requestTime(body.from, "from", now), to: requestTime(body.to, "to", now) };
        if (window.from >= window.to) throw invalidField("from", "must be before to");
      }
      const actor = { name: request.actor.name };
      const evaluations = await monitor.evaluate(model, actor, window);
      return { evaluations: evaluations.map(evaluationView) };
    },
  );
}
