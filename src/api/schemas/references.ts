// The reference a model version is compared with, one schema per kind (PUT …/reference, POST
// …/versions): fixed {from, to}, rolling {days}, dataset {rows, predictionColumn?, labelColumn?},
// each with exactly its fields, as a `oneOf` with a discriminator on `kind`. The kinds are shared
// schemas ($id), so the OpenAPI document lists them as components the discriminator maps to.
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { variantTitle } from "./common.js";
import { timeValue } from "./times.js";

export const MAX_REFERENCE_ROWS = 1_000_000;
/** Whole days of a rolling reference (the monitor's limit: ten years). */
export const MIN_ROLLING_DAYS = 1;
export const MAX_ROLLING_DAYS = 3_650;

const KIND_FIELDS = ["kind", "from", "to", "days", "rows", "predictionColumn", "labelColumn"];

const FeatureValue = Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]);

export const FixedReferenceBody = Type.Object(
  {
    kind: Type.Literal("fixed"),
    from: timeValue("the first event time of the reference"),
    to: timeValue("the end of the reference (exclusive), after from"),
  },
  {
    $id: "FixedReference",
    title: variantTitle("fixed reference", KIND_FIELDS),
    description: "the events of [from, to); from must be before to (else 400)",
    additionalProperties: false,
  },
);

export const RollingReferenceBody = Type.Object(
  {
    kind: Type.Literal("rolling"),
    days: Type.Integer({
      minimum: MIN_ROLLING_DAYS,
      maximum: MAX_ROLLING_DAYS,
      description: "whole days before each window",
    }),
  },
  {
    $id: "RollingReference",
    title: variantTitle("rolling reference", KIND_FIELDS),
    description: "the events of the `days` days before each evaluated window",
    additionalProperties: false,
  },
);

export const DatasetReferenceBody = Type.Object(
  {
    kind: Type.Literal("dataset"),
    rows: Type.Array(Type.Record(Type.String(), FeatureValue), {
      minItems: 1,
      maxItems: MAX_REFERENCE_ROWS,
      description: "feature name → value rows (null = missing)",
    }),
    predictionColumn: Type.Optional(Type.String({ minLength: 1 })),
    labelColumn: Type.Optional(Type.String({ minLength: 1 })),
  },
  {
    $id: "DatasetReference",
    title: variantTitle("dataset reference", KIND_FIELDS),
    description: "uploaded rows (within server.bodyLimitBytes)",
    additionalProperties: false,
  },
);

/** The shared schemas of the kinds: added to the app and to its validators. */
export const REFERENCE_KIND_SCHEMAS: readonly TSchema[] = [
  FixedReferenceBody,
  RollingReferenceBody,
  DatasetReferenceBody,
];

export type ReferenceSpecBodyType =
  | Static<typeof FixedReferenceBody>
  | Static<typeof RollingReferenceBody>
  | Static<typeof DatasetReferenceBody>;

/**
 * One reference of any kind. `kind` is checked first (a missing or unknown one is named as such),
 * then the discriminator picks the kind's schema.
 */
export const ReferenceSpecBody = Type.Unsafe<ReferenceSpecBodyType>({
  type: "object",
  required: ["kind"],
  properties: {
    kind: {
      type: "string",
      enum: ["fixed", "rolling", "dataset"],
      description: "fixed: {from, to}; rolling: {days}; dataset: {rows}",
    },
  },
  oneOf: REFERENCE_KIND_SCHEMAS.map((schema) => ({ $ref: schema.$id })),
  discriminator: { propertyName: "kind" },
});
