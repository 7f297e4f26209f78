// Schemas of the result routes: drift and performance results of a model by time range.
import { Type, type Static } from "@sinclair/typebox";
import { IsoTime } from "./common.js";
import { timeText } from "./times.js";

export const MAX_RESULT_ROWS = 100_000;

const RangeQueryFields = {
  from: Type.Optional(timeText("window start ≥ this; default to−7d")),
  to: Type.Optional(timeText("window start < this (after from); default now")),
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RESULT_ROWS, default: 10_000 })),
};

export const DriftQuery = Type.Object(
  {
    ...RangeQueryFields,
    feature: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    metric: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type DriftQueryType = Static<typeof DriftQuery>;

export const PerformanceQuery = Type.Object(
  { ...RangeQueryFields, metric: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
export type PerformanceQueryType = Static<typeof PerformanceQuery>;

const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

export const DriftResultBody = Type.Object({
  modelVersion: Type.String(),
  windowStart: IsoTime,
  windowEnd: IsoTime,
  feature: Type.String(),
  metric: Type.String(),
  value: NullableNumber,
  threshold: NullableNumber,
  drifted: Type.Boolean(),
});

export const PerformanceResultBody = Type.Object({
  modelVersion: Type.String(),
  windowStart: IsoTime,
  windowEnd: IsoTime,
  metric: Type.String(),
  value: NullableNumber,
  referenceValue: NullableNumber,
  nLabelled: Type.Integer(),
  pValue: NullableNumber,
  bandLower: Type.Union([Type.Number(), Type.Null()], {
    description: "an estimate's sampling-error band (estimated_<metric>); null on realized rows",
  }),
  bandUpper: NullableNumber,
  thresholdLower: Type.Union([Type.Number(), Type.Null()], {
    description: "the reference's band for a window of this size; null when none was computed",
  }),
  thresholdUpper: NullableNumber,
  alert: Type.Boolean({ description: "the estimate left the reference's band" }),
});

const RangeAnswer = {
  model: Type.String(),
  from: IsoTime,
  to: IsoTime,
  truncated: Type.Boolean({ description: "more rows matched than `limit`" }),
};

export const DriftResultsBody = Type.Object({
  ...RangeAnswer,
  results: Type.Array(DriftResultBody),
});

export const PerformanceResultsBody = Type.Object({
  ...RangeAnswer,
  results: Type.Array(PerformanceResultBody),
});
