// Config schema of one alerting rule: which models/features (globs), which result and metric,
// the comparison, `for` / `keepFiringFor` in consecutive windows, severity, labels, annotations,
// receivers and retrain actions.
import { Type, type Static } from "@sinclair/typebox";
import { StringEnum } from "../kit.js";
import { RESULT_KINDS } from "../../../../detectors/index.js";
import { GroupOverrideSchema } from "./route.js";

export const COMPARISONS = [">", ">=", "<", "<=", "==", "!="] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Label names the engine sets itself; rules may not override them. */
export const RESERVED_LABELS = [
  "alertname",
  "model",
  "feature",
  "metric",
  "kind",
  "scope",
  "severity",
] as const;

export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$";
const NAME_HINT = "must be 1-128 letters, digits, _ . : - (starting with a letter or digit)";
export const LABEL_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";

export const AnnotationsSchema = Type.Object(
  {
    summary: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "one line; {{model}}, {{feature}}, {{metric}}, {{value}}, {{threshold}} are filled in",
      }),
    ),
    description: Type.Optional(Type.String({ minLength: 1 })),
    runbookUrl: Type.Optional(
      Type.String({ pattern: "^https?://\\S+$", patternHint: "must be an http(s) URL" }),
    ),
  },
  { additionalProperties: false, default: {} },
);

export const RuleSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME_PATTERN, patternHint: NAME_HINT }),
    models: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      default: ["*"],
      description: "model name globs (picomatch), e.g. credit-*",
    }),
    features: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      default: ["*"],
      description: "feature name globs, for feature-level results",
    }),
    result: StringEnum(RESULT_KINDS, { description: "which result the rule watches" }),
    metric: Type.String({
      minLength: 1,
      default: "*",
      description: "metric name or glob, e.g. psi, ks_p_value, accuracy, ingest_lag_seconds",
    }),
    op: StringEnum(COMPARISONS, { default: ">", description: "value <op> threshold breaches" }),
    threshold: Type.Optional(
      Type.Number({ description: "absent: the detector's own threshold and verdict" }),
    ),
    relative: Type.Boolean({
      default: false,
      description: "performance_decay: decay as a fraction of the reference value",
    }),
    for: Type.Integer({
      minimum: 1,
      default: 1,
      description: "consecutive breaching windows before the alert fires",
    }),
    keepFiringFor: Type.Integer({
      minimum: 0,
      default: 0,
      description: "clear windows the alert keeps firing for before it resolves",
    }),
    severity: StringEnum(SEVERITIES, { default: "warning" }),
    labels: Type.Record(Type.String({ pattern: LABEL_NAME_PATTERN }), Type.String(), {
      default: {},
    }),
    annotations: AnnotationsSchema,
    receivers: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: "receiver names; absent: alerts.route.receivers",
      }),
    ),
    retrain: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: "retrain action names called when the alert fires",
    }),
    group: Type.Optional(GroupOverrideSchema),
  },
  { additionalProperties: false },
);

export type RuleConfig = Static<typeof RuleSchema>;
