// Test helpers: an alerts config section through the real loader, and small batch builders.
import { stringify } from "yaml";
import { parseConfig } from "../../../src/config/index.js";
import type { AlertsConfig } from "../../../src/config/schema/alerts/schema.js";
import type { Observation, ResultBatch } from "../../../alerts/model/observation.js";

export function alertsConfig(
  section: Record<string, unknown>,
  env: Record<string, string> = {},
): AlertsConfig {
  return parseConfig(stringify({ alerts: section }), { env }).alerts;
}

export const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
export const MINUTE = 60_000;

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
