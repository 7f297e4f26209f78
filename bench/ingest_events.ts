// Benchmark events for `npm run bench:ingest`: deterministic prediction events with 20 features
// (15 numeric, 5 categorical), generated in batches so 1M of them never sit in memory at once.

const CATEGORIES = [
  ["EU", "US", "APAC", "LATAM", "MEA"],
  ["web", "ios", "android"],
  ["basic", "plus", "premium", "enterprise"],
  ["new", "returning"],
  ["a", "b", "c", "d", "e", "f", "g", "h"],
] as const;

/** A small linear congruential generator: the same events on every run. */
export class SeededRandom {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state, 1_664_525) + 1_013_904_223) >>> 0;
    return this.state / 4_294_967_296;
  }
}

export const BENCH_MODEL = "bench-model";

/** Event number `i` as the JSON text a producer would send. */
export function benchEvent(i: number, random: SeededRandom, baseTimeMs: number): string {
  const features: Record<string, number | string> = {};
  for (let f = 0; f < 15; f++) features[`num_${f}`] = Math.round(random.next() * 1e6) / 100;
  CATEGORIES.forEach((values, c) => {
    features[`cat_${c}`] = values[Math.floor(random.next() * values.length)]!;
  });
  return JSON.stringify({
    event_id: `bench-${i}`,
    model: BENCH_MODEL,
    model_version: "1",
    timestamp: baseTimeMs + i,
    features,
    prediction: Math.round(random.next() * 1000) / 1000,
  });
}

/** Events from..from+count-1 (the random stream must be consumed in order). */
export function benchEvents(
  from: number,
  count: number,
  random: SeededRandom,
  baseTimeMs: number,
): string[] {
  const events: string[] = [];
  for (let i = from; i < from + count; i++) events.push(benchEvent(i, random, baseTimeMs));
  return events;
}
