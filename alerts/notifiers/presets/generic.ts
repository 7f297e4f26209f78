// Generic retrain webhook: the versioned retrain payload as JSON to any URL (always signed).
import type { GenericPresetConfig } from "../../../src/config/index.js";
import { retrainPayload } from "../../templates/webhook-payload.js";
import type { RetrainPresetAdapter } from "./preset.js";

export function genericPreset(config: GenericPresetConfig): RetrainPresetAdapter {
  return {
    name: "generic",
    secrets: Object.values(config.headers),
    prepare: async (request) => ({
      url: config.url,
      headers: { ...config.headers, "Content-Type": "application/json" },
      body: JSON.stringify(retrainPayload(request)),
    }),
  };
}
