// Alert routes, served through the alerts module's API seam (createAlertsApi): GET
// /api/v1/alerts, GET/POST /api/v1/silences, DELETE /api/v1/silences/:id and POST
// /api/v1/models/:model/retrain (admin). Silence and retrain changes are audited.
import type { FastifyInstance } from "fastify";
import { MAX_MATCHER_VALUE_LENGTH } from "../../util/index.js";
import type { ApiContext } from "../context.js";
import { errorResponses, ModelParams, type ModelParamsType } from "../schemas/common.js";
import {
  AlertStatesQuery,
  alertStatesOf,
  type AlertStatesQueryType,
} from "../schemas/alert-list.js";
import {
  AlertListBody,
  CreateSilenceBody,
  RetrainCooldownBody,
  RetrainRequestBody,
  RetrainTriggeredBody,
  SilenceBody,
  SilenceListBody,
  SilenceListQuery,
  SilenceParams,
  type CreateSilenceBodyType,
  type RetrainRequestBodyType,
  type SilenceListQueryType,
  type SilenceParamsType,
} from "../schemas/alerts.js";
import { isoTime, requestTime } from "../time-values.js";
import { recordChange } from "./audit-change.js";

export function registerAlertRoutes(app: FastifyInstance, context: ApiContext): void {
  const { alertsApi } = context;

  app.get<{ Querystring: AlertStatesQueryType }>(
    "/api/v1/alerts",
    {
      config: { access: "read" },
      schema: {
        tags: ["alerts"],
        summary: "Alerts by state (default pending and firing)",
        querystring: AlertStatesQuery,
        response: { 200: AlertListBody },
      },
    },
    async (request) => ({ alerts: await alertsApi.listAlerts(alertStatesOf(request.query.state)) }),
  );

  app.get<{ Querystring: SilenceListQueryType }>(
    "/api/v1/silences",
    {
      config: { access: "read" },
      schema: {
        tags: ["alerts"],
        summary: "Silences (active and pending; includeExpired=true for all)",
        querystring: SilenceListQuery,
        response: { 200: SilenceListBody },
      },
    },
    async (request) => ({
      silences: await alertsApi.listSilences({
        includeExpired: request.query.includeExpired === true,
      }),
    }),
  );

  app.post<{ Body: CreateSilenceBodyType }>(
    "/api/v1/silences",
    {
      config: {
        access: "write",
        refusals: [
          `a matcher value longer than ${MAX_MATCHER_VALUE_LENGTH} characters or a regex RE2 ` +
            "does not accept (field `matchers[i]`)",
          "matchers that all match an alert without labels: the silence would silence every " +
            "alert (field `matchers`)",
          "`endsAt` not after `startsAt` and now, or more than alerts.silences.maxDuration after " +
            "it (field `endsAt`)",
        ],
      },
      schema: {
        tags: ["alerts"],
        summary: "Create a silence (created_by is the token's name)",
        body: CreateSilenceBody,
        response: { 201: SilenceBody },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const now = Date.now();
      const silence = await alertsApi.createSilence({
        matchers: body.matchers,
        ...(body.startsAt !== undefined
          ? { startsAt: requestTime(body.startsAt, "startsAt", now) }
          : {}),
        ...(body.endsAt !== undefined ? { endsAt: requestTime(body.endsAt, "endsAt", now) } : {}),
        createdBy: request.actor.name,
        comment: body.comment,
      });
      await recordChange(context, request, {
        action: "silence.create",
        target: silence.id,
        detail: {
          matchers: silence.matchers,
          startsAt: silence.startsAt,
          endsAt: silence.endsAt,
          comment: silence.comment,
        },
      });
      return reply.code(201).send(silence);
    },
  );

  app.delete<{ Params: SilenceParamsType }>(
    "/api/v1/silences/:id",
    {
      config: { access: "write" },
      schema: {
        tags: ["alerts"],
        summary: "Expire a silence now",
        params: SilenceParams,
        response: { 200: SilenceBody, ...errorResponses(404) },
      },
    },
    async (request) => {
      const silence = await alertsApi.expireSilence(request.params.id);
      await recordChange(context, request, {
        action: "silence.expire",
        target: silence.id,
        detail: { endsAt: silence.endsAt },
      });
      return silence;
    },
  );

  app.post<{ Params: ModelParamsType; Body: RetrainRequestBodyType | undefined }>(
    "/api/v1/models/:model/retrain",
    {
      config: {
        access: "admin",
        optionalBody: true,
        refusals: ["a server without retrain actions configured (alerts.retrain.actions)"],
      },
      schema: {
        tags: ["alerts"],
        summary: "Call the model's retrain actions (subject to its cooldown unless force)",
        params: ModelParams,
        body: RetrainRequestBody,
        response: {
          ...errorResponses(404),
          202: RetrainTriggeredBody,
          409: RetrainCooldownBody,
        },
      },
    },
    async (request, reply) => {
      const { model } = request.params;
      const body = request.body ?? {};
      const outcome = await alertsApi.requestRetrain(model, {
        ...body,
        requestedBy: request.actor.name,
      });
      if (outcome.status === "cooldown") {
        const until = isoTime(outcome.cooldownUntil);
        return reply.code(409).send({
          error: {
            code: "DW_ERR_CONFLICT",
            message: `model ${model} is in its retrain cooldown until ${until} (force: true overrides)`,
          },
          status: "cooldown",
          requestId: outcome.requestId,
          activeRequestId: outcome.activeRequestId,
          cooldownUntil: until,
        });
      }
      await recordChange(context, request, {
        action: "retrain.request",
        target: body.modelVersion !== undefined ? `${model}@${body.modelVersion}` : model,
        detail: {
          requestId: outcome.requestId,
          actions: outcome.actions,
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          ...(body.force === true ? { force: true } : {}),
        },
      });
      return reply
        .code(202)
        .send({ status: "triggered", requestId: outcome.requestId, actions: outcome.actions });
    },
  );
}
