// Metrics of the inference integrations (KServe, Seldon), labelled by source: halves consumed,
// pairs joined, events produced, duplicates dropped, dead letters by reason, halves waiting.
import { Counter, Gauge, type Registry } from "prom-client";

export class InferenceMetrics {
  readonly halvesConsumed: Counter<"source">;
  readonly pairsJoined: Counter<"source">;
  readonly eventsProduced: Counter<"source">;
  readonly duplicates: Counter<"source">;
  readonly deadLettered: Counter<"source" | "reason">;
  readonly halvesWaiting: Gauge<"source">;
  readonly forwarded: Counter<"source">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.halvesConsumed = new Counter({
      name: "driftwatch_inference_halves_consumed_total",
      help: "Request and response halves read from the join topic, by source (kserve, seldon)",
      labelNames: ["source"],
      registers,
    });
    this.pairsJoined = new Counter({
      name: "driftwatch_inference_pairs_joined_total",
      help: "Requests joined with their responses, by source",
      labelNames: ["source"],
      registers,
    });
    this.eventsProduced = new Counter({
      name: "driftwatch_inference_events_produced_total",
      help: "Events (one per row of a joined pair) produced to the predictions topic, by source",
      labelNames: ["source"],
      registers,
    });
    this.duplicates = new Counter({
      name: "driftwatch_inference_duplicate_halves_total",
      help: "Halves dropped as resends of a half waiting or joined lately, by source",
      labelNames: ["source"],
      registers,
    });
    this.deadLettered = new Counter({
      name: "driftwatch_inference_dead_letters_total",
      help: "Halves dead-lettered (DLQ topic and table), by source and reason",
      labelNames: ["source", "reason"],
      registers,
    });
    this.halvesWaiting = new Gauge({
      name: "driftwatch_inference_halves_waiting",
      help: "Halves waiting for their partner, by source",
      labelNames: ["source"],
      registers,
    });
    this.forwarded = new Counter({
      name: "driftwatch_inference_forwarded_total",
      help: "Seldon messages forwarded to the join topic",
      labelNames: ["source"],
      registers,
    });
  }
}
