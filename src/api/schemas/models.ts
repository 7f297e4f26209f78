// Schemas of the model routes: list, detail, status, evaluate, references and versions.
import { Type, type Static } from "@sinclair/typebox";
import { IsoTime, ModelVersion } from "./common.js";
import { ReferenceSpecBody } from "./references.js";
import { timeValue } from "./times.js";

const Task = Type.Union([
  Type.Literal("binary"),
  Type.Literal("multiclass"),
  Type.Literal("regression"),
]);

export const ModelSummaryBody = Type.Object({
  model: Type.String(),
  configured: Type.Boolean({ description: "declared in the config (else only seen in events)" }),
  task: Type.Optional(Task),
  versions: Type.Array(Type.String()),
  latestVersion: Type.Optional(Type.String()),
  lastEventAt: IsoTime,
});

export const ModelListBody = Type.Object({ models: Type.Array(ModelSummaryBody) });

export const ReferenceInfoBody = Type.Object({
  model: Type.String(),
  modelVersion: Type.String(),
  kind: Type.Union([Type.Literal("fixed"), Type.Literal("rolling"), Type.Literal("dataset")]),
  rows: Type.Integer(),
  createdAt: IsoTime,
  createdBy: Type.String(),
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
  days: Type.Optional(Type.Number()),
});

export const ModelDetailBody = Type.Object({
  ...ModelSummaryBody.properties,
  references: Type.Array(ReferenceInfoBody, {
    description: "the reference of each version that has one",
  }),
});

export const ModelStatusBody = Type.Object({
  model: Type.String(),
  modelVersion: Type.Optional(Type.String()),
  state: Type.Union([
    Type.Literal("ok"),
    Type.Literal("drifting"),
    Type.Literal("degraded"),
    Type.Literal("unknown"),
  ]),
  reasons: Type.Array(Type.String()),
  windowStart: Type.Optional(IsoTime),
  windowEnd: Type.Optional(IsoTime),
  evaluatedAt: Type.Optional(IsoTime),
});

export const RegisterVersionBody = Type.Object(
  { version: ModelVersion, reference: Type.Optional(ReferenceSpecBody) },
  { additionalProperties: false },
);
export type RegisterVersionBodyType = Static<typeof RegisterVersionBody>;

export const RegisteredVersionBody = Type.Object({
  model: Type.String(),
  modelVersion: Type.String(),
  reference: Type.Optional(ReferenceInfoBody),
});

/** Both ends of the window, or neither (OpenAPI 3.0 has no dependentRequired). */
const BOTH_OR_NEITHER = [
  { type: "object", required: ["from", "to"] },
  { type: "object", not: { anyOf: [{ required: ["from"] }, { required: ["to"] }] } },
];

export const EvaluateBody = Type.Object(
  {
    from: Type.Optional(timeValue("the window's start")),
    to: Type.Optional(timeValue("the window's end (exclusive), after from")),
  },
  {
    additionalProperties: false,
    anyOf: BOTH_OR_NEITHER,
    description:
      "a window {from, to} (both; from before to, else 400), or nothing (or no body) for every " +
      "due window",
  },
);
export type EvaluateBodyType = Static<typeof EvaluateBody>;

export const EvaluationBody = Type.Object({
  model: Type.String(),
  modelVersion: Type.String(),
  windowStart: IsoTime,
  windowEnd: IsoTime,
  rows: Type.Integer(),
  driftShare: Type.Union([Type.Number(), Type.Null()]),
  drifted: Type.Boolean(),
  skippedReason: Type.Optional(Type.String()),
});

export const EvaluationsBody = Type.Object({ evaluations: Type.Array(EvaluationBody) });
