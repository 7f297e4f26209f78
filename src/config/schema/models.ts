// Config section `models`: the monitoring settings of each model (task, features, windows,
// reference, drift-rule overrides). Models need no declaration to be ingested; a declared model
// is evaluated on its interval by the monitor role.
import { Type, type Static } from "@sinclair/typebox";
import { DRIFT_TEST, getDetector } from "../../../detectors/index.js";
import { Count, Duration, PositiveInteger, StringEnum, type ConfigCheckIssue } from "./kit.js";

export const ModelFeatureSchema = Type.Object(
  {
    kind: Type.Optional(
      StringEnum(["numeric", "categorical"], {
        description: "force the feature's kind (inferred from the events otherwise)",
      }),
    ),
    test: Type.Optional(
      StringEnum(Object.values(DRIFT_TEST), {
        description: "the drift test deciding this feature (DESIGN's default rule otherwise)",
      }),
    ),
    threshold: Type.Optional(Type.Number({ description: "threshold of that test" })),
  },
  { additionalProperties: false, default: {} },
);

export const ModelReferenceSchema = Type.Object(
  {
    rollingDays: PositiveInteger(7, {
      description: "default reference: the N days before each window (until one is set)",
    }),
    maxRows: PositiveInteger(1_000_000, {
      description:
        "a stored reference (fixed or rolling) with more events is summarised from a deterministic sample of about this many (by event-id hash)",
    }),
  },
  { additionalProperties: false, default: {} },
);

export const ModelSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[A-Za-z0-9_.-]{1,64}$", patternHint: "[A-Za-z0-9_.-]{1,64}" }),
    task: StringEnum(["binary", "multiclass", "regression"], { default: "binary" }),
    features: Type.Record(Type.String({ minLength: 1, maxLength: 256 }), ModelFeatureSchema, {
      default: {},
      description: "per-feature kind and drift-test overrides; unlisted features are inferred",
    }),
    threshold: Type.Number({
      default: 0.5,
      minimum: 0,
      maximum: 1,
      description: "binary: a score ≥ threshold predicts the positive class",
    }),
    positiveLabel: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    interval: Duration("1h", "evaluation window (tumbling, aligned to the epoch)"),
    minRows: PositiveInteger(100, { description: "windows with fewer rows are not judged" }),
    labelDelay: Duration("1h", "performance is evaluated this long after a window ends"),
    lateLabelDays: Count(7, { description: "labels this late still re-evaluate their window" }),
    backfillWindows: PositiveInteger(168, {
      description: "missed windows evaluated at most, counting back from now",
    }),
    reference: ModelReferenceSchema,
    exactRowLimit: PositiveInteger(100_000, {
      description: "windows up to this many rows are compared exactly, larger ones binned",
    }),
    driftShareThreshold: Type.Number({ default: 0.5, exclusiveMinimum: 0, maximum: 1 }),
    benjaminiHochberg: Type.Boolean({ default: false }),
    metricsFeatureCap: PositiveInteger(100, {
      description: "features per model exported as Prometheus series (the first N by name)",
    }),
  },
  { additionalProperties: false },
);

export const ModelsSchema = Type.Array(ModelSchema, {
  default: [],
  description: "monitored models",
});

export type ModelConfig = Static<typeof ModelSchema>;
export type ModelFeatureConfig = Static<typeof ModelFeatureSchema>;
export type ModelsConfig = Static<typeof ModelsSchema>;

/** Relations the schema cannot express: unique names, tests that fit the declared kind. */
export function checkModelsConfig(models: ModelsConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  const seen = new Map<string, number>();
  models.forEach((model, index) => {
    const first = seen.get(model.name);
    if (first !== undefined) {
      issues.push({
        path: ["models", index, "name"],
        message: `duplicate model "${model.name}" (also models[${first}])`,
      });
    }
    seen.set(model.name, first ?? index);
    for (const [feature, settings] of Object.entries(model.features)) {
      if (settings.test === undefined) continue;
      const detector = getDetector(settings.test);
      if (settings.kind !== undefined && !detector.columnKinds.includes(settings.kind)) {
        issues.push({
          path: ["models", index, "features", feature, "test"],
          message: `test "${settings.test}" applies to ${detector.columnKinds.join(" and ")} features only (this one is ${settings.kind})`,
        });
      }
      if (detector.defaultThreshold === null && settings.threshold === undefined) {
        issues.push({
          path: ["models", index, "features", feature, "threshold"],
          message: `is required with test "${settings.test}" (it has no default threshold)`,
        });
      }
    }
  });
  return issues;
}
