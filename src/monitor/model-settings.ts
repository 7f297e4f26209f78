// Per-model monitoring settings: the `models` config entry of a model, or the schema's defaults
// for a model that is only seen in the events; durations resolved to milliseconds.
import { Value } from "@sinclair/typebox/value";
import { ModelSchema, type ModelConfig } from "../config/schema/models.js";

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "30s" / "15m" / "1h" / "2d" → milliseconds (the config schema has validated the form). */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)(s|m|h|d)$/.exec(text);
  if (match === null) throw new RangeError(`invalid duration ${JSON.stringify(text)}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export interface ModelSettings {
  readonly config: ModelConfig;
  readonly configured: boolean;
  readonly intervalMs: number;
  readonly labelDelayMs: number;
}

/** Settings of `model`: its config entry, or the defaults. */
export function modelSettings(models: readonly ModelConfig[], model: string): ModelSettings {
  const declared = models.find((entry) => entry.name === model);
  const config = declared ?? (Value.Default(ModelSchema, { name: model }) as ModelConfig);
  const intervalMs = parseDuration(config.interval);
  if (intervalMs <= 0) throw new RangeError(`models[${model}].interval must be positive`);
  return {
    config,
    configured: declared !== undefined,
    intervalMs,
    labelDelayMs: parseDuration(config.labelDelay),
  };
}
