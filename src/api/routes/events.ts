// POST /api/v1/events: HTTP ingest for teams without a Kafka producer. Every event is validated
// like a Kafka message; the valid ones are produced (keyed by event_id) to the predictions topic,
// the invalid ones reported by index with field and reason and never produced.
import type { FastifyInstance } from "fastify";
import type { OutgoingRecord } from "../../kafka/index.js";
import { validatePrediction } from "../../ingest/index.js";
import type { ApiContext } from "../context.js";
import { ApiError } from "../error-codes.js";
import {
  EventsAccepted,
  EventsRejected,
  EventsRequest,
  type EventsRequestType,
  type RejectedEventType,
} from "../schemas/events.js";

/** Reasons about the payload as a whole rather than one field. */
const WHOLE_EVENT_REASONS = new Set(["invalid_json", "too_large", "not_utf8"]);

/** The field a validation detail names ("event_id: required" → event_id). */
function fieldOf(reason: string, detail: string): string {
  if (WHOLE_EVENT_REASONS.has(reason)) return "event";
  const colon = detail.indexOf(": ");
  return colon > 0 ? detail.slice(0, colon) : "event";
}

/** The event as JSON text (lone surrogates stay "\ud800" escapes), or undefined when too deep. */
function serialize(event: unknown): string | undefined {
  try {
    return JSON.stringify(event) ?? "";
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

export function registerEventRoutes(app: FastifyInstance, context: ApiContext): void {
  const topic = context.config.kafka.topics.predictions;
  const rules = { maxEventBytes: context.config.ingest.maxEventBytes };

  app.post<{ Body: EventsRequestType }>(
    "/api/v1/events",
    {
      config: { access: "write" },
      schema: {
        tags: ["events"],
        summary: "Ingest prediction events over HTTP (to the predictions topic)",
        body: EventsRequest,
        response: { 202: EventsAccepted, 400: EventsRejected },
      },
    },
    async (request, reply) => {
      const events: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
      const records: OutgoingRecord[] = [];
      const errors: RejectedEventType[] = [];
      const now = Date.now();
      events.forEach((event, index) => {
        const text = serialize(event);
        if (text === undefined) {
          errors.push({
            index,
            field: "event",
            reason: "wrong_type",
            message: "event: nested too deeply to be an event",
          });
          return;
        }
        const value = Buffer.from(text, "utf8");
        const message = { topic, partition: 0, offset: 0, timestampMs: now, value };
        const verdict = validatePrediction(message, rules, Math.floor(now / 1000));
        if (verdict.ok) {
          records.push({ key: verdict.row.event_id, value });
        } else {
          errors.push({
            index,
            field: fieldOf(verdict.reason, verdict.detail),
            reason: verdict.reason,
            message: verdict.detail,
          });
        }
      });
      if (records.length === 0) {
        const first = errors[0]!;
        return reply.code(400).send({
          error: {
            code: "DW_ERR_INVALID_EVENTS",
            message: `no valid event; first problem at [${first.index}]: ${first.message}`,
            field: Array.isArray(request.body) ? `[${first.index}].${first.field}` : first.field,
          },
          errors,
        });
      }
      try {
        await context.producer.send(topic, records);
      } catch (error) {
        request.log.warn({ err: error, topic }, "events not acknowledged by Kafka");
        throw new ApiError(
          "DW_ERR_UNAVAILABLE",
          "Kafka did not acknowledge the events; none is counted as accepted, retry later",
        );
      }
      return reply
        .code(202)
        .send({ accepted: records.length, rejected: errors.length, topic, errors });
    },
  );
}
