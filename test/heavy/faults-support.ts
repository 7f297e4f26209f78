// Helpers of the fault-injection files (their `serve` children with fault points come from
// test/support/serve.ts): waiting for a point to be reached, resuming a paused process, a producer that keeps trying through broker outages, and the consumer group's
// committed offsets read from the broker.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OutgoingRecord, Producer } from "../../src/kafka/index.js";
import type { Child } from "../support/cli.js";
import { waitFor } from "../support/clock.js";
import type { IngestTestEnv } from "../support/ingest.js";

/** A file a paused hook waits for; `resume()` creates it. */
export interface ResumeSignal {
  readonly path: string;
  resume(): void;
}

export function resumeSignal(): ResumeSignal {
  const path = join(mkdtempSync(join(tmpdir(), "dw-hook-")), "resume");
  return { path, resume: () => writeFileSync(path, "go\n") };
}

/** Resolves once `child` reported reaching fault point `point` for the `count`th time. */
export async function reached(child: Child, point: string, count = 1): Promise<void> {
  await waitFor(
    `fault point ${point} #${count}`,
    async () => child.stderr().includes(`driftwatch-test-hook ${point} ${count}\n`),
    Boolean,
    120_000,
    50,
  );
}

/** Sum over the partitions of the group's committed offsets (0 where none is committed). */
export async function committedTotal(env: IngestTestEnv, topic: string): Promise<number> {
  const admin = env.kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.committedOffsets(env.groupId, topic);
    return offsets.reduce((sum, entry) => sum + Math.max(0, entry.offset), 0);
  } finally {
    await admin.close();
  }
}

/**
 * Produce `records` in chunks, each chunk retried until the broker acknowledges it (through
 * broker restarts). A retried chunk may be stored twice by Kafka: the same events, new offsets —
 * the resends the ingester's dedup and the tables' engine must not count twice.
 */
export async function produceThroughOutages(
  env: IngestTestEnv,
  records: readonly OutgoingRecord[],
  chunk = 500,
  onChunk?: (acknowledged: number) => Promise<void> | void,
): Promise<{ retries: number }> {
  let retries = 0;
  let producer: Producer | undefined;
  try {
    for (let start = 0; start < records.length; start += chunk) {
      for (;;) {
        try {
          if (producer === undefined) {
            const fresh = env.kafka.producer();
            producer = fresh;
            await fresh.connect();
          }
          await producer.send(env.topics.predictions, records.slice(start, start + chunk));
          break;
        } catch {
          retries++;
          await producer?.close().catch(() => undefined);
          producer = undefined;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      await onChunk?.(Math.min(records.length, start + chunk));
    }
  } finally {
    await producer?.close().catch(() => undefined);
  }
  return { retries };
}
