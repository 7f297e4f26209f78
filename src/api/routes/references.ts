// Reference windows and versions: PUT /api/v1/models/:model/versions/:version/reference (fixed
// {from, to} | rolling {days} | dataset {rows}) and POST /api/v1/models/:model/versions
// ({version, reference?}) — how a retraining pipeline closes the loop. The monitor records both
// in driftwatch.audit_log with the token's name as the actor (MonitorOperations contract).
import type { FastifyInstance } from "fastify";
import type { ReferenceSpec } from "../../monitor/index.js";
import type { ApiContext } from "../context.js";
import { invalidField } from "../error-codes.js";
import {
  errorResponses,
  ModelParams,
  ModelVersionParams,
  type ModelParamsType,
  type ModelVersionParamsType,
} from "../schemas/common.js";
import {
  ReferenceInfoBody,
  RegisteredVersionBody,
  RegisterVersionBody,
  type RegisterVersionBodyType,
} from "../schemas/models.js";
import { ReferenceSpecBody, type ReferenceSpecBodyType } from "../schemas/references.js";
import { requestTime } from "../time-values.js";
import { referenceView } from "../views.js";

/**
 * The monitor's ReferenceSpec from a validated request body (each kind has exactly its fields);
 * 400 naming the field (under `prefix`) when a fixed window does not start before it ends.
 */
export function referenceSpecOf(body: ReferenceSpecBodyType, prefix: string): ReferenceSpec {
  switch (body.kind) {
    case "fixed": {
      const now = Date.now();
      const from = requestTime(body.from, `${prefix}from`, now);
      const to = requestTime(body.to, `${prefix}to`, now);
      if (from >= to) throw invalidField(`${prefix}from`, "must be before to");
      return { kind: "fixed", from, to };
    }
    case "rolling":
      return { kind: "rolling", days: body.days };
    case "dataset":
      return {
        kind: "dataset",
        rows: body.rows,
        ...(body.predictionColumn !== undefined ? { predictionColumn: body.predictionColumn } : {}),
        ...(body.labelColumn !== undefined ? { labelColumn: body.labelColumn } : {}),
      };
  }
}

const FIXED_ORDER = "a fixed reference whose `from` is not before its `to` (field `from`)";

export function registerReferenceRoutes(app: FastifyInstance, context: ApiContext): void {
  const { monitor } = context;

  app.put<{ Params: ModelVersionParamsType; Body: ReferenceSpecBodyType }>(
    "/api/v1/models/:model/versions/:version/reference",
    {
      config: { access: "write", refusals: [FIXED_ORDER] },
      schema: {
        tags: ["models"],
        summary: "Set (replace) the reference of a model version",
        params: ModelVersionParams,
        body: ReferenceSpecBody,
        response: { 200: ReferenceInfoBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { model, version } = request.params;
      const spec = referenceSpecOf(request.body, "");
      const info = await monitor.setReference(model, version, spec, { name: request.actor.name });
      return referenceView(info);
    },
  );

  app.post<{ Params: ModelParamsType; Body: RegisterVersionBodyType }>(
    "/api/v1/models/:model/versions",
    {
      config: { access: "write", refusals: [FIXED_ORDER] },
      schema: {
        tags: ["models"],
        summary: "Register a new model version, optionally with its reference",
        params: ModelParams,
        body: RegisterVersionBody,
        response: { 201: RegisteredVersionBody, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const { model } = request.params;
      const { version } = request.body;
      const spec =
        request.body.reference === undefined
          ? undefined
          : referenceSpecOf(request.body.reference, "reference.");
      const registered = await monitor.registerVersion(model, version, spec, {
        name: request.actor.name,
      });
      return reply.code(201).send({
        model: registered.model,
        modelVersion: registered.modelVersion,
        ...(registered.reference !== undefined
          ? { reference: referenceView(registered.reference) }
          : {}),
      });
    },
  );
}
