// Config section `integrations.kserve`: KServe's inference logger POSTs CloudEvents (binary mode)
// to /api/v1/ingest/cloudevents/<credential>; each half goes to a Kafka topic keyed by ce-id and
// the ingest role joins request and response into events. Absent: the integration is off.
import { Type, type Static } from "@sinclair/typebox";
import { Secret } from "../kit.js";
import { joinSettings, TopicName } from "./inference-mapping.js";

/** Shortest ingest credential accepted: guessing one must be impractical. */
export const MIN_INGEST_CREDENTIAL_CHARS = 24;

export const KserveSchema = Type.Object(
  {
    credential: Secret({
      minLength: MIN_INGEST_CREDENTIAL_CHARS,
      maxLength: 200,
      pattern: "^[A-Za-z0-9_~.-]+$",
      patternHint: "must be at least 24 URL-safe characters (letters, digits, _ ~ . -)",
      description:
        "ingest-only key the logger carries in its URL path (it cannot send an Authorization header); write it as ${ENV_VAR}",
    }),
    topic: TopicName(
      "driftwatch.cloudevents",
      "topic the route produces each half to (keyed by ce-id) and the ingest role joins from",
    ),
    groupId: Type.String({
      minLength: 1,
      default: "driftwatch-kserve",
      description: "consumer group of the joiners",
    }),
    ...joinSettings,
  },
  {
    additionalProperties: false,
    description: "KServe inference logger: CloudEvents POSTed to /api/v1/ingest/cloudevents",
  },
);

export type KserveConfig = Static<typeof KserveSchema>;
