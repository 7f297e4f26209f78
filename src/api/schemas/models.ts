// Schemas of the model routes: list, detail, status, evaluate, references and versions.
import { Type, type Static } from "@sinclair/typebox";
import { IsoTime, ModelVersion, TimeValue } from "./common.js";

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

const FeatureValue = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);

export const MAX_REFERENCE_ROWS = 1_000_000;

/** One object with a `kind`; which other fields are needed depends on it (checked by the route). */
export const ReferenceSpecBody = Type.Object(
  {
    kind: Type.Union([Type.Literal("fixed"), Type.Literal("rolling"), Type.Literal("dataset")], {
      description: "fixed: {from, to}; rolling: {days}; dataset: {rows}",
    }),
    from: Type.Optional(TimeValue),
    to: Type.Optional(TimeValue),
    days: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 366 })),
    rows: Type.Optional(
      Type.Array(Type.Record(Type.String(), FeatureValue), {
        minItems: 1,
        maxItems: MAX_REFERENCE_ROWS,
        description: "feature name → value rows (null = missing)",
      }),
    ),
    predictionColumn: Type.Optional(Type.String({ minLength: 1 })),
    labelColumn: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type ReferenceSpecBodyType = Static<typeof ReferenceSpecBody>;

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

export const EvaluateBody = Type.Object(
  {
    from: Type.Optional(TimeValue),
    to: Type.Optional(TimeValue),
  },
  { additionalProperties: false, description: "a window, or nothing for every due window" },
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
