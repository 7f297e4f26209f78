// Intake of consumed records into a pending batch, without Kafka or ClickHouse: what is skipped
// as already stored (per table), dropped as a resend, dead-lettered, and which offsets the batch
// will commit and record as stored.
import { describe, expect, it } from "vitest";
import { DedupWindow } from "../../../src/ingest/dedup-window.js";
import { intakeBatch, type IntakeContext } from "../../../src/ingest/intake.js";
import { createBatchBuffers, PendingBatch } from "../../../src/ingest/pending-batch.js";
import { StoredPositions } from "../../../src/ingest/stored-positions.js";
import type { SqlEngine } from "../../../src/store/engine.js";
import type { KafkaRecord } from "../../../src/kafka/types.js";
import { IngestMetrics } from "../../../src/ingest/ingest-metrics.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";

function record(offset: number, value: string): KafkaRecord {
  return {
    offset,
    timestampMs: 1_795_420_800_000,
    key: null,
    value: Buffer.from(value),
    headers: {},
  };
}

const event = (id: string) => JSON.stringify({ event_id: id, model: "m", features: { x: 1 } });

function context(): IntakeContext & { positions: StoredPositions } {
  // Marks are set by hand here; the engine is never asked.
  const positions = new StoredPositions(undefined as unknown as SqlEngine, "db");
  return {
    roleOf: (topic) => (topic === "p" ? "predictions" : topic === "l" ? "labels" : undefined),
    rules: { maxEventBytes: 10_000 },
    positions,
    windows: { predictions: new DedupWindow(100), labels: new DedupWindow(100) },
    metrics: new IngestMetrics(createMetricsRegistry()),
  };
}

describe("intakeBatch", () => {
  it("routes rows and dead letters and plans the commit", () => {
    const pending = new PendingBatch(createBatchBuffers());
    intakeBatch(
      {
        topic: "p",
        partition: 2,
        highWatermark: 20,
        records: [record(10, event("a")), record(11, "nope"), record(12, event("b"))],
      },
      pending,
      context(),
    );
    expect(pending.rowCount("predictions")).toBe(2);
    expect(pending.deadLetters.map((row) => [row.offset, row.reason])).toEqual([
      [11, "invalid_json"],
    ]);
    expect(pending.dlqRecords[0]?.headers).toMatchObject({
      reason: "invalid_json",
      "original-offset": "11",
    });
    expect(pending.commitPositions()).toEqual([{ topic: "p", partition: 2, offset: 13 }]);
    expect(pending.highestOffsetsOf("predictions")).toEqual([
      { topic: "p", partition: 2, offset: 12 },
    ]);
    expect(pending.highestOffsetsOf("dead_letters")).toEqual([
      { topic: "p", partition: 2, offset: 11 },
    ]);
    expect(pending.messages).toBe(3);
  });

  it("skips redelivered records already stored, judging each table by its own mark", () => {
    const ctx = context();
    // Before a crash: predictions stored up to offset 12, dead letters only up to 5.
    ctx.positions.markStored("predictions", "p", 0, 12);
    ctx.positions.markStored("dead_letters", "p", 0, 5);
    const pending = new PendingBatch(createBatchBuffers());
    intakeBatch(
      {
        topic: "p",
        partition: 0,
        highWatermark: 20,
        records: [record(11, event("a")), record(12, "bad"), record(13, event("c"))],
      },
      pending,
      ctx,
    );
    // 11 is stored; 12 is a dead letter that never reached its table; 13 is new.
    expect(pending.rowCount("predictions")).toBe(1);
    expect(pending.deadLetters.map((row) => row.offset)).toEqual([12]);
    expect(pending.commitPositions()).toEqual([{ topic: "p", partition: 0, offset: 14 }]);
  });

  it("drops resends within the dedup window and can forget them again", () => {
    const ctx = context();
    const first = new PendingBatch(createBatchBuffers());
    intakeBatch(
      {
        topic: "p",
        partition: 0,
        highWatermark: 5,
        records: [record(0, event("a")), record(1, event("a"))],
      },
      first,
      ctx,
    );
    expect(first.rowCount("predictions")).toBe(1);
    // The batch is abandoned: its events leave the window, so their redelivery is stored.
    ctx.windows.predictions.forget(first.admittedEvents("predictions"));
    const second = new PendingBatch(createBatchBuffers());
    intakeBatch(
      { topic: "p", partition: 0, highWatermark: 5, records: [record(0, event("a"))] },
      second,
      ctx,
    );
    expect(second.rowCount("predictions")).toBe(1);
  });

  it("validates the labels topic as labels", () => {
    const pending = new PendingBatch(createBatchBuffers());
    intakeBatch(
      {
        topic: "l",
        partition: 0,
        highWatermark: 2,
        records: [
          record(0, JSON.stringify({ event_id: "a", model: "m", label: 1 })),
          record(1, event("b")),
        ],
      },
      pending,
      context(),
    );
    expect(pending.rowCount("labels")).toBe(1);
    expect(pending.deadLetters.map((row) => [row.reason, row.detail])).toEqual([
      ["missing_field", "label: required"],
    ]);
  });
});
