// What KServe and Seldon integrations share: how one served model's inference payloads become
// driftwatch events (tensor or column names → feature names, which output is the prediction,
// the driftwatch model and version), the join settings, and their checks.
import { Type, type Static } from "@sinclair/typebox";
import { Duration, parseDuration, PositiveInteger, type ConfigCheckIssue } from "../kit.js";

/** The event contract's model names (DESIGN.md). */
const MODEL_NAME_PATTERN = "^[A-Za-z0-9_.-]{1,64}$";

/** Kafka topic names (Kafka's own rule). */
export const TopicName = (defaultName: string, description: string) =>
  Type.String({
    pattern: "^[A-Za-z0-9._-]{1,249}$",
    patternHint: "must be a Kafka topic name (1-249 letters, digits, ., _, -)",
    default: defaultName,
    description,
  });

export const InferenceMappingSchema = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 253,
      description:
        "the served model: KServe's InferenceService name (ce-inferenceservicename) or Seldon's model name",
    }),
    model: Type.Optional(
      Type.String({
        pattern: MODEL_NAME_PATTERN,
        patternHint: "must match [A-Za-z0-9_.-]{1,64}",
        description: "the driftwatch model the events belong to (default: the served name)",
      }),
    ),
    version: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: "a fixed model_version" }),
    ),
    versionHeader: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z0-9_.-]{1,128}$",
        patternHint: "must be a header name",
        description:
          "take model_version from this header (e.g. ce-endpoint); otherwise the V2 response's model_version, else unknown",
      }),
    ),
    inputs: Type.Record(
      Type.String({ minLength: 1, maxLength: 256 }),
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { minItems: 1, maxItems: 10_000 }),
      {
        default: {},
        description:
          "feature names of each input tensor's columns, by tensor name (V1: `instances`); unmapped tensors give <tensor> or <tensor>_<j>",
      },
    ),
    prediction: Type.Optional(
      Type.Object(
        {
          output: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 256,
              description:
                "output tensor holding the prediction (V1: `predictions`; default: the first)",
            }),
          ),
          index: Type.Optional(
            Type.Integer({
              minimum: 0,
              description:
                "column of that output when each row has several values (e.g. a class's probability)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type InferenceMapping = Static<typeof InferenceMappingSchema>;

/** Join settings shared by both integrations. */
export const joinSettings = {
  joinWait: Duration(
    "30s",
    "how long a request or response half waits for its partner before it is dead-lettered (unjoinable)",
  ),
  maxPendingHalves: PositiveInteger(100_000, {
    description: "halves waiting at once at most; beyond, the oldest is dead-lettered (unjoinable)",
  }),
  models: Type.Array(InferenceMappingSchema, {
    default: [],
    maxItems: 10_000,
    description: "per-model mappings; models without one are mapped by tensor and column names",
  }),
};

/** Longest join wait accepted: halves hold back the commit of their partition meanwhile. */
const MAX_JOIN_WAIT_MS = 3_600_000;

/** Unique mapping names, a join wait that a partition can afford to hold back. */
export function checkJoinSettings(
  section: "kserve" | "seldon",
  settings: { joinWait: string; models: readonly InferenceMapping[] },
): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  if (parseDuration(settings.joinWait) > MAX_JOIN_WAIT_MS) {
    issues.push({
      path: ["integrations", section, "joinWait"],
      message: "must be at most 1h: a waiting half holds back its partition's committed offset",
    });
  }
  if (parseDuration(settings.joinWait) === 0) {
    issues.push({ path: ["integrations", section, "joinWait"], message: "must be more than 0" });
  }
  const names = new Set<string>();
  settings.models.forEach((mapping, index) => {
    if (names.has(mapping.name)) {
      issues.push({
        path: ["integrations", section, "models", index, "name"],
        message: `a second mapping for ${JSON.stringify(mapping.name)}`,
      });
    }
    names.add(mapping.name);
  });
  return issues;
}
