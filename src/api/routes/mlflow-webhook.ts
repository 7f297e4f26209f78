// POST /api/v1/integrations/mlflow/webhook: MLflow's (3.3+) webhook deliveries. Public to bearer
// auth (MLflow cannot send a token) but every delivery must carry a valid HMAC signature made with
// integrations.mlflow.webhook.secret; the body is kept as received, since the signature covers its
// bytes. An alias moved to a new version registers that version (idempotently: a redelivery, or a
// poll that got there first, changes nothing). Registered only when the integration is configured.
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { MlflowWebhookError, type MlflowWebhookReceiver } from "../../integrations/index.js";
import { ApiError, invalidField } from "../error-codes.js";
import { errorResponses } from "../schemas/common.js";

export const MLFLOW_WEBHOOK_PATH = "/api/v1/integrations/mlflow/webhook";

const WebhookAnswerBody = Type.Object(
  {
    event: Type.String({
      description: "entity.action of the delivery, e.g. model_version_alias.created",
    }),
    results: Type.Array(
      Type.Object({
        model: Type.String(),
        registeredModel: Type.String(),
        version: Type.Optional(Type.String()),
        outcome: Type.String({
          description: "registered | already-registered | unchanged | not-set | failed",
        }),
        message: Type.Optional(Type.String()),
      }),
    ),
  },
  { description: "what driftwatch did with the delivery" },
);

export async function registerMlflowWebhookRoute(
  app: FastifyInstance,
  receiver: MlflowWebhookReceiver,
): Promise<void> {
  await app.register(async (scope) => {
    // The raw text, for the signature; parsed by the receiver after it is verified.
    scope.removeContentTypeParser("application/json");
    scope.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(
      MLFLOW_WEBHOOK_PATH,
      {
        config: { access: "public" },
        schema: {
          tags: ["integrations"],
          summary: "Receive an MLflow model-registry webhook (HMAC-signed by MLflow)",
          response: { 200: WebhookAnswerBody, ...errorResponses(400, 401, 503) },
        },
      },
      async (request) => {
        const body = typeof request.body === "string" ? request.body : "";
        let answer;
        try {
          answer = await receiver.receive({ headers: request.headers, body });
        } catch (error) {
          if (error instanceof MlflowWebhookError) {
            if (error.reason === "signature") {
              throw new ApiError(
                "DW_ERR_UNAUTHENTICATED",
                `MLflow webhook refused: ${error.message}`,
              );
            }
            throw invalidField(`body${error.field ? `.${error.field}` : ""}`, error.message);
          }
          throw error;
        }
        // MLflow redelivers on 5xx: ask it to when what failed may pass later.
        const transient = answer.results.find(
          (result) => result.outcome === "failed" && result.retryable === true,
        );
        if (transient !== undefined) {
          throw new ApiError(
            "DW_ERR_UNAVAILABLE",
            `could not register ${transient.registeredModel} version ${transient.version ?? "?"} yet; retry later`,
          );
        }
        return {
          event: answer.event,
          results: answer.results.map((result) => ({
            model: result.model,
            registeredModel: result.registeredModel,
            ...(result.version !== undefined ? { version: result.version } : {}),
            outcome: result.outcome,
            ...(result.message !== undefined ? { message: result.message } : {}),
          })),
        };
      },
    );
  });
}
