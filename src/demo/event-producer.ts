// Produces the simulated events and late labels to the demo's Kafka topics, following the event
// contract (DESIGN.md): predictions keyed by event_id, labels as {event_id, model, label, timestamp}.
import type { Producer } from "../kafka/index.js";
import { DEMO_MODEL, type SimulatedEvent } from "./simulator.js";

const CHUNK = 1_000;

export function eventPayload(event: SimulatedEvent): string {
  return JSON.stringify({
    event_id: event.eventId,
    model: DEMO_MODEL,
    model_version: event.modelVersion,
    timestamp: new Date(event.ts).toISOString(),
    features: event.features,
    prediction: event.score,
    ...(event.labelInline ? { label: event.label } : {}),
  });
}

export function labelPayload(event: SimulatedEvent, arrivedAt: number): string {
  return JSON.stringify({
    event_id: event.eventId,
    model: DEMO_MODEL,
    label: event.label,
    timestamp: new Date(arrivedAt).toISOString(),
  });
}

export async function produce(
  producer: Producer,
  topic: string,
  records: readonly { key: string; value: string }[],
): Promise<void> {
  for (let start = 0; start < records.length; start += CHUNK) {
    await producer.send(topic, records.slice(start, start + CHUNK));
  }
}
