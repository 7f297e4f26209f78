// Config section `integrations.seldon`: Seldon Core v2 writes each model's requests and responses
// (Open Inference Protocol V2 as Protobuf) to `seldon.<namespace>.model.<name>.inputs` and
// `.outputs`; the ingest role forwards both, keyed by request id, to one topic of its own and
// joins them into events. Absent: the integration is off.
import { Type, type Static } from "@sinclair/typebox";
import { Duration } from "../kit.js";
import { joinSettings, TopicName } from "./inference-mapping.js";

export const SeldonSchema = Type.Object(
  {
    inputTopics: Type.Array(
      Type.String({
        pattern: "^[A-Za-z0-9._*?-]{1,249}\\.inputs$",
        patternHint: "must be a topic name or glob ending in .inputs",
        minLength: 1,
      }),
      {
        default: ["seldon.*.model.*.inputs"],
        minItems: 1,
        maxItems: 100,
        description:
          "Seldon input topics (names or globs); each pairs with the same name ending in .outputs",
      },
    ),
    refreshTopics: Duration(
      "1m",
      "how often new Seldon topics matching inputTopics are looked for",
    ),
    requestIdHeader: Type.String({
      pattern: "^[A-Za-z0-9_.-]{1,128}$",
      default: "x-request-id",
      description: "Kafka header carrying Seldon's request id (the record key when absent)",
    }),
    topic: TopicName(
      "driftwatch.seldon",
      "topic both halves are forwarded to, keyed by request id, and joined from",
    ),
    groupId: Type.String({
      minLength: 1,
      default: "driftwatch-seldon",
      description: "consumer group of the forwarders and joiners",
    }),
    ...joinSettings,
  },
  {
    additionalProperties: false,
    description: "Seldon Core v2: the per-model inference topics on Kafka",
  },
);

export type SeldonConfig = Static<typeof SeldonSchema>;
