// Test helpers of the alerting unit tests: small batch and observation builders.
import type { Observation, ResultBatch } from "../../../alerts/model/observation.js";
import { MINUTE, T0 } from "../../support/clock.js";

/** Batch of window `index` (5-minute windows from T0). */
export function batch(
  model: string,
  index: number,
  observations: Observation[],
  version = "3",
): ResultBatch {
  return {
    model,
    modelVersion: version,
    windowStart: T0 + index * 5 * MINUTE,
    windowEnd: T0 + (index + 1) * 5 * MINUTE,
    observations,
  };
}

export function psi(feature: string, value: number, threshold = 0.2): Observation {
  return { kind: "drift", metric: "psi", feature, value, threshold, drifted: value >= threshold };
}
