// Schemas of the alert routes: alerts, silences and retrain requests (engine in alerts/).
import { Type, type Static } from "@sinclair/typebox";
import { MAX_MATCHERS_PER_SILENCE } from "../../util/index.js";
import { hintedPattern, IsoTime, JS_SPACE, ModelVersion } from "./common.js";
import { MatcherBody, MatcherText } from "./matchers.js";
import { timeValue } from "./times.js";

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);
const StringMap = Type.Record(Type.String(), Type.String());

export const AlertBody = Type.Object({
  rule: Type.String(),
  fingerprint: Type.String(),
  state: Type.String(),
  severity: Type.String(),
  model: Type.String(),
  feature: NullableString,
  metric: Type.String(),
  value: NullableNumber,
  threshold: NullableNumber,
  summary: Type.String(),
  labels: StringMap,
  annotations: StringMap,
  features: Type.Array(Type.String()),
  modelVersion: NullableString,
  activeAt: IsoTime,
  firedAt: IsoTime,
  resolvedAt: IsoTime,
  lastSentAt: IsoTime,
  windowStart: IsoTime,
  windowEnd: IsoTime,
});

export const AlertsQuery = Type.Object(
  {
    state: Type.Optional(
      Type.String({ description: "comma-separated states; default pending,firing" }),
    ),
  },
  { additionalProperties: false },
);
export type AlertsQueryType = Static<typeof AlertsQuery>;

export const AlertListBody = Type.Object({ alerts: Type.Array(AlertBody) });

export const SilenceBody = Type.Object({
  id: Type.String(),
  status: Type.String(),
  matchers: Type.Array(MatcherBody),
  startsAt: Type.String(),
  endsAt: Type.String(),
  createdBy: Type.String(),
  comment: Type.String(),
  createdAt: Type.String(),
});

export const SilenceListQuery = Type.Object(
  { includeExpired: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
export type SilenceListQueryType = Static<typeof SilenceListQuery>;

export const SilenceListBody = Type.Object({ silences: Type.Array(SilenceBody) });

/** Text with something besides whitespace (JavaScript's, as the alerts module trims it). */
const NOT_BLANK = `[^${JS_SPACE}]`;

export const CreateSilenceBody = Type.Object(
  {
    matchers: Type.Array(Type.Union([MatcherText, MatcherBody]), {
      minItems: 1,
      maxItems: MAX_MATCHERS_PER_SILENCE,
      description:
        "at least one matcher must not match an alert without the label (else the silence " +
        "would silence every alert: 400)",
    }),
    startsAt: Type.Optional(timeValue("default now")),
    endsAt: Type.Optional(
      timeValue(
        "after startsAt and now, within alerts.silences.maxDuration of startsAt (else 400); " +
          "default startsAt + alerts.silences.defaultDuration",
      ),
    ),
    comment: Type.String({
      minLength: 1,
      maxLength: 1000,
      pattern: hintedPattern(NOT_BLANK, "is required (why the alerts are silenced)"),
      description: "why the alerts are silenced (not blank)",
    }),
  },
  { additionalProperties: false },
);
export type CreateSilenceBodyType = Static<typeof CreateSilenceBody>;

export const SilenceParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export type SilenceParamsType = Static<typeof SilenceParams>;

export const RetrainRequestBody = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
    actions: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        maxItems: 20,
        description: "retrain actions by name (404 for one not configured); default the model's",
      }),
    ),
    modelVersion: Type.Optional(ModelVersion),
    force: Type.Optional(Type.Boolean({ description: "ignore the model's retrain cooldown" })),
  },
  { additionalProperties: false },
);
export type RetrainRequestBodyType = Static<typeof RetrainRequestBody>;

export const RetrainTriggeredBody = Type.Object({
  status: Type.Literal("triggered"),
  requestId: Type.String(),
  actions: Type.Array(Type.String()),
});

export const RetrainCooldownBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
  status: Type.Literal("cooldown"),
  requestId: Type.String(),
  activeRequestId: Type.String(),
  cooldownUntil: IsoTime,
});
