import { describe, expect, it } from "vitest";
import { DEAD_LETTER_REASONS } from "../../../src/ingest/reasons.js";
import { INGEST_TABLES } from "../../../src/ingest/rows.js";
import { IngestMetrics } from "../../../src/metrics/ingest-metrics.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";

describe("IngestMetrics", () => {
  it("exposes every dead-letter reason and every table at zero before anything happens", async () => {
    const registry = createMetricsRegistry();
    new IngestMetrics(registry);
    const text = await registry.metrics();
    for (const reason of Object.keys(DEAD_LETTER_REASONS)) {
      expect(text).toContain(`driftwatch_ingest_dead_letters_total{reason="${reason}"} 0`);
    }
    for (const table of INGEST_TABLES) {
      expect(text).toContain(`driftwatch_ingest_rows_inserted_total{table="${table}"} 0`);
      expect(text).toContain(`driftwatch_ingest_write_failures_total{target="${table}"} 0`);
    }
    expect(text).toContain(`driftwatch_ingest_write_failures_total{target="dlq_topic"} 0`);
  });
});
