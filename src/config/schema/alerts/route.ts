// Config schema of routing and grouping (default receivers, group_by, group_wait, group_interval,
// repeat_interval) and of inhibition rules.
import { Type, type Static } from "@sinclair/typebox";
import { Duration, OptionalDuration } from "../kit.js";

const GroupBy = Type.Array(Type.String({ minLength: 1 }), {
  description: "labels whose values split alerts into notifications",
});

export const RouteSchema = Type.Object(
  {
    receivers: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: "receivers of rules that name none",
    }),
    groupBy: Type.Array(Type.String({ minLength: 1 }), {
      default: ["alertname", "model"],
      description: "labels whose values split alerts into notifications",
    }),
    groupWait: Duration("30s", "wait before the first notification of a new group"),
    groupInterval: Duration("5m", "wait before notifying changes of a group already notified"),
    repeatInterval: Duration("4h", "resend an unchanged firing group after this long"),
  },
  { additionalProperties: false, default: {} },
);

export const GroupOverrideSchema = Type.Object(
  {
    groupBy: Type.Optional(GroupBy),
    groupWait: Type.Optional(OptionalDuration()),
    groupInterval: Type.Optional(OptionalDuration()),
    repeatInterval: Type.Optional(OptionalDuration()),
  },
  { additionalProperties: false },
);

export const InhibitRuleSchema = Type.Object(
  {
    sourceMatchers: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'matchers of the firing alerts that inhibit, e.g. scope="model"',
    }),
    targetMatchers: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      description: 'matchers of the alerts that are muted, e.g. scope="feature"',
    }),
    equal: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: "labels that must be equal in source and target",
    }),
  },
  { additionalProperties: false },
);

/** By default a firing model-level alert mutes the feature-level alerts of the same model. */
export const DEFAULT_INHIBIT_RULES = [
  { sourceMatchers: ['scope="model"'], targetMatchers: ['scope="feature"'], equal: ["model"] },
];

export type RouteConfig = Static<typeof RouteSchema>;
export type GroupOverrideConfig = Static<typeof GroupOverrideSchema>;
export type InhibitRuleConfig = Static<typeof InhibitRuleSchema>;
