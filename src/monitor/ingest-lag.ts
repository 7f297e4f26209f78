// How far behind ingestion is, in seconds, read from Kafka by the evaluator (so it is known even
// when every ingester is down): the age of the oldest message the ingest group has not committed.
//
// Kafka can tell, per partition, the first offset at or after a timestamp. The oldest waiting
// message of a partition is the one at the group's committed offset; it is older than `age` when
// the first offset at `now − age` lies beyond it. That test is monotone in `age`, so the age is
// found by bisection in log space (about 5 % precision in a handful of requests), and only when
// some partition has messages waiting.
import type { Admin } from "../kafka/index.js";

/** Ages are searched between one second and this (a larger lag is reported as this). */
const MAX_AGE_SECONDS = 30 * 86_400;
/** Bisection steps in log space: (30 days)^(1/2^8) ≈ 1.05 precision. */
const STEPS = 8;

interface Waiting {
  readonly partition: number;
  /** The oldest message not committed (the committed offset, or the log start). */
  readonly offset: number;
}

async function waitingPartitions(admin: Admin, groupId: string, topic: string): Promise<Waiting[]> {
  const [committed, marks] = await Promise.all([
    admin.committedOffsets(groupId, topic),
    admin.watermarks(topic),
  ]);
  const byPartition = new Map(committed.map((entry) => [entry.partition, entry.offset]));
  const waiting: Waiting[] = [];
  for (const mark of marks) {
    const position = byPartition.get(mark.partition) ?? -1;
    // No commit yet: a new group starts at the earliest offset.
    const next = position < 0 ? mark.low : Math.max(position, mark.low);
    if (next < mark.high) waiting.push({ partition: mark.partition, offset: next });
  }
  return waiting;
}

/** Seconds since the oldest message of `topics` the group has not committed was produced. */
export async function ingestLagSeconds(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
  nowMs: number,
): Promise<number> {
  let lag = 0;
  for (const topic of topics) {
    const waiting = await waitingPartitions(admin, groupId, topic);
    if (waiting.length === 0) continue;
    /** Whether some waiting message is older than `age` seconds. */
    const olderThan = async (age: number): Promise<boolean> => {
      const offsets = await admin.offsetsForTimestamp(topic, nowMs - age * 1000);
      const firstAtOrAfter = new Map(offsets.map((entry) => [entry.partition, entry.offset]));
      return waiting.some((item) => (firstAtOrAfter.get(item.partition) ?? 0) > item.offset);
    };
    if (!(await olderThan(1))) continue;
    if (await olderThan(MAX_AGE_SECONDS)) return MAX_AGE_SECONDS;
    let low = 0; // log(1)
    let high = Math.log(MAX_AGE_SECONDS);
    for (let step = 0; step < STEPS; step++) {
      const middle = (low + high) / 2;
      if (await olderThan(Math.exp(middle))) low = middle;
      else high = middle;
    }
    lag = Math.max(lag, Math.exp(low));
  }
  return Math.round(lag);
}
