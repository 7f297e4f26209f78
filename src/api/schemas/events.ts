// Schemas of POST /api/v1/events. The body is deliberately loose (one event or an array): each
// event is then checked exactly like a Kafka message (src/ingest/validate.ts) and reported by index.
import { Type, type Static } from "@sinclair/typebox";

export const MAX_EVENTS_PER_REQUEST = 10_000;

export const EventsRequest = Type.Union(
  [
    Type.Object(
      {},
      { additionalProperties: true, description: "one event (DESIGN event contract)" },
    ),
    Type.Array(Type.Unknown(), {
      minItems: 1,
      maxItems: MAX_EVENTS_PER_REQUEST,
      description: `up to ${MAX_EVENTS_PER_REQUEST} events`,
    }),
  ],
  { description: "a prediction event or an array of them" },
);
export type EventsRequestType = Static<typeof EventsRequest>;

export const RejectedEvent = Type.Object({
  index: Type.Integer({ description: "position in the posted array (0 for a single event)" }),
  field: Type.String({ description: "the offending field, e.g. event_id, features.age" }),
  reason: Type.String({ description: "dead-letter reason code, e.g. missing_field, wrong_type" }),
  message: Type.String(),
});
export type RejectedEventType = Static<typeof RejectedEvent>;

export const EventsAccepted = Type.Object({
  accepted: Type.Integer({ description: "events produced to the predictions topic" }),
  rejected: Type.Integer({ description: "invalid events, not produced" }),
  topic: Type.String(),
  errors: Type.Array(RejectedEvent),
});

/** 400 answers of the events route: per-event errors when events were checked. */
export const EventsRejected = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  }),
  errors: Type.Optional(Type.Array(RejectedEvent)),
});
