// Schemas of the alert routes: alerts, silences and retrain requests (engine in alerts/).
import { Type, type Static } from "@sinclair/typebox";
import {
  MAX_MATCHER_TEXT_LENGTH,
  MAX_MATCHERS_PER_SILENCE,
} from "../../../alerts/silences/matchers.js";
import { IsoTime, ModelVersion, TimeValue } from "./common.js";

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

const MatcherBody = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    op: Type.Union([Type.Literal("="), Type.Literal("!="), Type.Literal("=~"), Type.Literal("!~")]),
    value: Type.String(),
  },
  { additionalProperties: false },
);

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

export const CreateSilenceBody = Type.Object(
  {
    // Values are checked by the alerts module (at most 1,024 characters, regexes in RE2 syntax).
    matchers: Type.Array(
      Type.Union([
        Type.String({
          minLength: 1,
          maxLength: MAX_MATCHER_TEXT_LENGTH,
          description: "name=value, name=~regex (RE2 syntax), …",
        }),
        MatcherBody,
      ]),
      { minItems: 1, maxItems: MAX_MATCHERS_PER_SILENCE },
    ),
    startsAt: Type.Optional(TimeValue),
    endsAt: Type.Optional(TimeValue),
    comment: Type.String({ maxLength: 1000, default: "" }),
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
    actions: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 })),
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
