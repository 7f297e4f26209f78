// Config schema of retrain actions: signed webhooks with presets for GitHub repository_dispatch,
// Airflow dag runs, Jenkins buildWithParameters, Kubeflow Pipelines runs, or a generic URL; and
// the per-model cooldown that makes one drift episode trigger at most one retrain.
import { Type, type Static } from "@sinclair/typebox";
import { Secret, Duration } from "../kit.js";
import { HttpUrl } from "./receivers.js";
import { NAME_PATTERN } from "./rules.js";

const Parameters = Type.Record(Type.String({ minLength: 1 }), Type.String(), {
  default: {},
  description: "extra static parameters sent with every run",
});

export const GithubPresetSchema = Type.Object(
  {
    url: Type.String({
      pattern: "^https?://[^\\s/]+(/\\S*)?$",
      patternHint: "must be an http:// or https:// URL",
      default: "https://api.github.com",
    }),
    repository: Type.String({
      pattern: "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
      patternHint: "must be owner/repo",
    }),
    token: Secret({ description: "token allowed to create repository_dispatch events" }),
    eventType: Type.String({ minLength: 1, maxLength: 100, default: "driftwatch-retrain" }),
  },
  { additionalProperties: false },
);

export const AirflowPresetSchema = Type.Object(
  {
    url: HttpUrl("Airflow webserver base URL"),
    dagId: Type.String({ minLength: 1 }),
    username: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Secret()),
    token: Type.Optional(Secret({ description: "bearer token instead of basic auth" })),
  },
  { additionalProperties: false },
);

export const JenkinsPresetSchema = Type.Object(
  {
    url: HttpUrl("Jenkins base URL"),
    job: Type.String({ minLength: 1, description: 'job name; folders as "folder/job"' }),
    username: Type.Optional(Type.String({ minLength: 1 })),
    token: Type.Optional(Secret({ description: "the user's API token" })),
    crumb: Type.Boolean({ default: false, description: "fetch a CSRF crumb first" }),
    parameters: Parameters,
  },
  { additionalProperties: false },
);

export const KubeflowPresetSchema = Type.Object(
  {
    url: HttpUrl("Kubeflow Pipelines API base URL"),
    pipelineId: Type.String({ minLength: 1 }),
    pipelineVersionId: Type.Optional(Type.String({ minLength: 1 })),
    experimentId: Type.Optional(Type.String({ minLength: 1 })),
    token: Type.Optional(Secret()),
    parameters: Parameters,
  },
  { additionalProperties: false },
);

export const GenericPresetSchema = Type.Object(
  {
    url: HttpUrl(),
    headers: Type.Record(Type.String({ minLength: 1 }), Secret(), { default: {} }),
  },
  { additionalProperties: false },
);

export const RETRAIN_PRESETS = ["github", "airflow", "jenkins", "kubeflow", "generic"] as const;
export type RetrainPreset = (typeof RETRAIN_PRESETS)[number];

export const RetrainActionSchema = Type.Object(
  {
    name: Type.String({
      pattern: NAME_PATTERN,
      patternHint: "must be 1-128 letters, digits, _ . : -",
    }),
    secret: Type.Optional(Secret({ description: "HMAC-SHA256 secret for X-Driftwatch-Signature" })),
    github: Type.Optional(GithubPresetSchema),
    airflow: Type.Optional(AirflowPresetSchema),
    jenkins: Type.Optional(JenkinsPresetSchema),
    kubeflow: Type.Optional(KubeflowPresetSchema),
    generic: Type.Optional(GenericPresetSchema),
  },
  { additionalProperties: false },
);

export const RetrainSchema = Type.Object(
  {
    cooldown: Duration("6h", "per model: at most one retrain per cooldown"),
    actions: Type.Array(RetrainActionSchema, { default: [] }),
  },
  { additionalProperties: false, default: {} },
);

export type GithubPresetConfig = Static<typeof GithubPresetSchema>;
export type AirflowPresetConfig = Static<typeof AirflowPresetSchema>;
export type JenkinsPresetConfig = Static<typeof JenkinsPresetSchema>;
export type KubeflowPresetConfig = Static<typeof KubeflowPresetSchema>;
export type GenericPresetConfig = Static<typeof GenericPresetSchema>;
export type RetrainActionConfig = Static<typeof RetrainActionSchema>;
export type RetrainConfig = Static<typeof RetrainSchema>;
