import { describe, expect, it } from "vitest";
import { DEAD_LETTER_REASONS } from "../../../src/ingest/reasons.js";
import { INGEST_TABLES } from "../../../src/ingest/rows.js";
import { IngestMetrics } from "../../../src/ingest/ingest-metrics.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";

describe("IngestMetrics", () => {
  it("exposes every dead-letter reason, every table and failure kind at zero before anything happens", async () => {
    const registry = createMetricsRegistry();
    new IngestMetrics(registry);
    const text = await registry.metrics();
    for (const reason of Object.keys(DEAD_LETTER_REASONS)) {
      expect(text).toContain(`driftwatch_ingest_dead_letters_total{reason="${reason}"} 0`);
    }
    for (const table of INGEST_TABLES) {
      expect(text).toContain(`driftwatch_ingest_rows_inserted_total{table="${table}"} 0`);
    }
    for (const target of [...INGEST_TABLES, "dlq_topic"]) {
      for (const kind of ["outage", "rows", "refused"]) {
        expect(text).toContain(
          `driftwatch_ingest_write_failures_total{target="${target}",kind="${kind}"} 0`,
        );
      }
    }
    for (const name of [
      "dead_letters_without_payload_total",
      "dead_letters_unstored_total",
      "dlq_truncated_total",
      "dlq_unsendable_total",
    ]) {
      expect(text).toContain(`driftwatch_ingest_${name} 0`);
    }
  });
});
