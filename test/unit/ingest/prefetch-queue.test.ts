// The Kafka prefetch queue (src/kafka/prefetch-queue.ts): batches are handled one at a time in
// delivery order, delivery waits while the queue is full, a handler error is thrown at the next
// delivery (so kafkajs can act on it), and clear/stop drop what is queued.
import { describe, expect, it } from "vitest";
import { PrefetchQueue } from "../../../src/kafka/prefetch-queue.js";
import type { BatchContext, RecordBatch } from "../../../src/kafka/types.js";

const context: BatchContext = { heartbeat: async () => {}, isRunning: () => true };

function batch(partition: number): RecordBatch {
  return { topic: "t", partition, highWatermark: 0, records: [] };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("PrefetchQueue", () => {
  it("handles batches in order, one at a time, and holds delivery while full", async () => {
    const handled: number[] = [];
    const gate = deferred();
    let active = 0;
    const queue = new PrefetchQueue(async (b) => {
      active++;
      expect(active).toBe(1);
      if (b.partition === 0) await gate.promise;
      handled.push(b.partition);
      active--;
    }, 2);
    await queue.deliver(batch(0), context); // taken by the loop, blocked in the handler
    await tick();
    await queue.deliver(batch(1), context);
    await queue.deliver(batch(2), context);
    let thirdDelivered = false;
    const third = queue.deliver(batch(3), context).then(() => (thirdDelivered = true));
    await tick();
    expect(thirdDelivered).toBe(false); // 3 queued > capacity 2
    gate.resolve();
    await third;
    await tick();
    expect(handled).toEqual([0, 1, 2, 3]);
    await queue.stop();
  });

  it("throws a handler's error at the next delivery and drops what was queued", async () => {
    const handled: number[] = [];
    const queue = new PrefetchQueue(async (b) => {
      handled.push(b.partition);
      if (b.partition === 0) throw new Error("rebalancing");
    }, 4);
    await queue.deliver(batch(0), context);
    await tick();
    await expect(queue.deliver(batch(1), context)).rejects.toThrow("rebalancing");
    await queue.deliver(batch(2), context);
    await tick();
    expect(handled).toEqual([0, 2]);
    await queue.stop();
  });

  it("drops queued batches on clear", async () => {
    const handled: number[] = [];
    const gate = deferred();
    const queue = new PrefetchQueue(async (b) => {
      if (b.partition === 0) await gate.promise;
      handled.push(b.partition);
    }, 4);
    await queue.deliver(batch(0), context);
    await tick();
    await queue.deliver(batch(1), context);
    queue.clear();
    gate.resolve();
    await tick();
    expect(handled).toEqual([0]);
    await queue.stop();
  });
});
