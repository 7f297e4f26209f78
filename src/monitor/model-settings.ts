// Per-model monitoring settings: the `models` config entry of a model, or the schema's defaults
// for a model that is only seen in the events; durations resolved to milliseconds.
import { Value } from "@sinclair/typebox/value";
import { parseDuration, ModelSchema, type ModelConfig } from "../config/index.js";

export { parseDuration };

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
