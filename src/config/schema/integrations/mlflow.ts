// Config section `integrations.mlflow`: MLflow model registry: follow a registered model's alias or
// stage and register each version it moves to, with its reference; write the verdict back as tags.
// Absent: the integration is off. Credentials and the webhook secret come from the environment.
import { Type, type Static } from "@sinclair/typebox";
import type { ConfigCheckIssue } from "../kit.js";
import { Duration, PositiveInteger, SECTION, Secret, StringEnum } from "../kit.js";

export const MLFLOW_REFERENCE_KINDS = ["dataset", "trainingWindow", "rolling"] as const;
export const MLFLOW_DATASET_FORMATS = ["csv", "jsonl", "parquet"] as const;
export const MLFLOW_WINDOW_SOURCES = ["params", "tags"] as const;
/** Stages of MLflow's (deprecated but still served) stage workflow a model may follow. */
export const MLFLOW_STAGES = ["Staging", "Production"] as const;

/** Text MLflow accepts in a name (registered models, aliases, param and tag keys). */
const NAME_TEXT = { minLength: 1, maxLength: 256 } as const;

export const MlflowReferenceSchema = Type.Object(
  {
    kind: StringEnum(MLFLOW_REFERENCE_KINDS, {
      description:
        "dataset: an artifact of the version's run; trainingWindow: the run's logged training " +
        "window as a fixed range; rolling: the last `days` days before each window",
    }),
    artifactPath: Type.Optional(
      Type.String({
        ...NAME_TEXT,
        maxLength: 1024,
        description: "dataset: path of the CSV, JSONL or Parquet file inside the run's artifacts",
      }),
    ),
    format: Type.Optional(
      StringEnum(MLFLOW_DATASET_FORMATS, {
        description: "dataset: file format (default: from the artifact's extension)",
      }),
    ),
    predictionColumn: Type.Optional(Type.String({ ...NAME_TEXT })),
    labelColumn: Type.Optional(Type.String({ ...NAME_TEXT })),
    source: Type.Optional(
      StringEnum(MLFLOW_WINDOW_SOURCES, {
        description:
          "trainingWindow: read `from`/`to` from the run's params or tags (default params)",
      }),
    ),
    from: Type.Optional(
      Type.String({
        ...NAME_TEXT,
        description:
          "trainingWindow: the param or tag holding the window start (RFC 3339 or epoch ms)",
      }),
    ),
    to: Type.Optional(
      Type.String({
        ...NAME_TEXT,
        description: "trainingWindow: the param or tag holding the end",
      }),
    ),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: "rolling: days" })),
  },
  { additionalProperties: false },
);

export const MlflowModelSchema = Type.Object(
  {
    model: Type.String({
      pattern: "^[A-Za-z0-9_.-]{1,64}$",
      patternHint: "must be a driftwatch model name: 1-64 letters, digits, _ . -",
      description: "the driftwatch model (events' `model`)",
    }),
    registeredModel: Type.String({
      ...NAME_TEXT,
      description: "the MLflow registered model to follow",
    }),
    alias: Type.Optional(
      Type.String({ ...NAME_TEXT, description: "follow this alias (e.g. champion)" }),
    ),
    stage: Type.Optional(
      StringEnum(MLFLOW_STAGES, { description: "or follow this stage (older registries)" }),
    ),
    reference: MlflowReferenceSchema,
  },
  { additionalProperties: false },
);

export const MlflowSchema = Type.Object(
  {
    trackingUri: Type.String({
      pattern: "^https?://[^\\s]+$",
      patternHint: "must be an http:// or https:// URL, e.g. http://127.0.0.1:5000",
      description: "the MLflow tracking server",
    }),
    username: Type.Optional(
      Secret({
        minLength: 1,
        description:
          "basic-auth user; write ${MLFLOW_TRACKING_USERNAME} (the default when unset, as in MLflow's client)",
      }),
    ),
    password: Type.Optional(
      Secret({
        minLength: 1,
        description: "basic-auth password; default: ${MLFLOW_TRACKING_PASSWORD} when set",
      }),
    ),
    requestTimeout: Duration("10s", "timeout of each request to MLflow"),
    retries: PositiveInteger(3, {
      maximum: 10,
      description: "attempts per request on 5xx, 429 and network errors (with backoff)",
    }),
    polling: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: "poll the registry (any MLflow, managed or older than 3.3)",
        }),
        interval: Duration("30s", "how often the elected evaluator polls each followed model"),
      },
      SECTION,
    ),
    webhook: Type.Optional(
      Type.Object(
        {
          secret: Secret({
            minLength: 16,
            description:
              "the MLflow webhook's secret (HMAC of each delivery); write ${MLFLOW_WEBHOOK_SECRET}",
          }),
          maxAge: Duration("5m", "deliveries whose X-MLflow-Timestamp is older are refused"),
        },
        {
          additionalProperties: false,
          description: "receive MLflow 3.3+ webhooks at POST /api/v1/integrations/mlflow/webhook",
        },
      ),
    ),
    writeTags: Type.Boolean({
      default: true,
      description:
        "after each evaluation set driftwatch.status and driftwatch.drift_share on the version",
    }),
    models: Type.Array(MlflowModelSchema, { minItems: 1 }),
  },
  {
    additionalProperties: false,
    description:
      "MLflow model registry: follow a registered model's alias or stage and register its versions",
  },
);

export type MlflowConfig = Static<typeof MlflowSchema>;
export type MlflowModelConfig = Static<typeof MlflowModelSchema>;
export type MlflowReferenceConfig = Static<typeof MlflowReferenceSchema>;

/** Which fields each reference kind takes (the others are refused, naming the kind). */
const KIND_FIELDS: Readonly<Record<MlflowReferenceConfig["kind"], readonly string[]>> = {
  dataset: ["artifactPath", "format", "predictionColumn", "labelColumn"],
  trainingWindow: ["source", "from", "to"],
  rolling: ["days"],
};
const REQUIRED_FIELDS: Readonly<Record<MlflowReferenceConfig["kind"], readonly string[]>> = {
  dataset: ["artifactPath"],
  trainingWindow: ["from", "to"],
  rolling: ["days"],
};

/** Relations the schema cannot express: alias xor stage, each reference kind's fields, no twins. */
export function checkMlflowConfig(mlflow: MlflowConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  const base = ["integrations", "mlflow", "models"] as const;
  const models = new Set<string>();
  const followed = new Set<string>();
  mlflow.models.forEach((entry, index) => {
    const path = [...base, index];
    if ((entry.alias === undefined) === (entry.stage === undefined)) {
      issues.push({ path: [...path, "alias"], message: "set exactly one of alias and stage" });
    }
    if (models.has(entry.model)) {
      issues.push({
        path: [...path, "model"],
        message: `model ${JSON.stringify(entry.model)} is listed twice`,
      });
    }
    models.add(entry.model);
    const target = JSON.stringify([entry.registeredModel, entry.alias ?? "", entry.stage ?? ""]);
    if (followed.has(target)) {
      issues.push({
        path: [...path, "registeredModel"],
        message: "the same registered model and alias/stage are followed twice",
      });
    }
    followed.add(target);
    const reference = entry.reference as Record<string, unknown> & MlflowReferenceConfig;
    const allowed = KIND_FIELDS[reference.kind];
    for (const field of Object.keys(reference)) {
      if (field !== "kind" && !allowed.includes(field)) {
        issues.push({
          path: [...path, "reference", field],
          message: `is not a field of a ${reference.kind} reference (it takes ${allowed.join(", ")})`,
        });
      }
    }
    for (const field of REQUIRED_FIELDS[reference.kind]) {
      if (reference[field] === undefined) {
        issues.push({
          path: [...path, "reference", field],
          message: `is required for a ${reference.kind} reference`,
        });
      }
    }
  });
  return issues;
}
