// Schemas of POST /api/v1/ingest/cloudevents[/{credential}]: the CloudEvents (binary content
// mode) headers KServe's inference logger sends, and the answer once the half is in Kafka. The
// body is the inference request or response as sent (V1 or V2 JSON), checked when it is joined.
import { Type, type Static } from "@sinclair/typebox";
import { CE_REQUEST_TYPE, CE_RESPONSE_TYPE, MAX_CE_ID_CHARS } from "../../ingest/index.js";

export const CloudEventHeaders = Type.Object(
  {
    "ce-specversion": Type.String({ enum: ["1.0"], description: "CloudEvents version" }),
    "ce-id": Type.String({
      minLength: 1,
      maxLength: MAX_CE_ID_CHARS,
      description: "the inference's id, shared by its request and response events",
    }),
    "ce-type": Type.String({
      enum: [CE_REQUEST_TYPE, CE_RESPONSE_TYPE],
      description: "which half this is",
    }),
    "ce-source": Type.String({ minLength: 1, description: "the logger's source URI" }),
    "ce-inferenceservicename": Type.Optional(
      Type.String({ description: "the InferenceService: the model (unless mapped otherwise)" }),
    ),
    "ce-time": Type.Optional(Type.String({ description: "RFC 3339; the event time" })),
  },
  { additionalProperties: true },
);

export const CloudEventBody = Type.Unknown({
  description:
    "the inference request (V1 `instances` or V2 `inputs`) or response (V1 `predictions` or V2 `outputs`) as the model server saw it; kept byte for byte and checked when joined (invalid ones are dead-lettered)",
});

export const CloudEventCredentialParams = Type.Object({
  credential: Type.String({
    minLength: 1,
    description: "integrations.kserve.credential (the logger cannot send an Authorization header)",
  }),
});
export type CloudEventCredentialParamsType = Static<typeof CloudEventCredentialParams>;

export const CloudEventAccepted = Type.Object({
  accepted: Type.Literal(true),
  id: Type.String({ description: "ce-id" }),
  half: Type.String({ enum: ["request", "response"] }),
  topic: Type.String({ description: "the join topic the half was produced to" }),
});
