// The one way a RetrainService is built from the alerts config: its actions, the cooldown, and the
// default actions of a model (those of the rules that match it). The alert engine and the alerts
// API (when no engine runs in the process) both build theirs here.
import { parseDuration, type AlertsConfig } from "../../src/config/index.js";
import type { CompiledRule } from "../engine/compiled-rule.js";
import type { RetrainIntegrations } from "../notifiers/registry.js";
import type { DeliveryContext } from "../pipeline/deliver.js";
import type { Logger } from "../../src/util/index.js";
import { RetrainService } from "./retrain-service.js";
import type { RetrainStore } from "./retrain-store.js";

export function retrainServiceFor(options: {
  readonly config: AlertsConfig;
  readonly rules: readonly CompiledRule[];
  readonly actions: RetrainIntegrations;
  readonly delivery: DeliveryContext;
  readonly store?: RetrainStore;
  readonly logger?: Logger;
}): RetrainService {
  const { rules } = options;
  return new RetrainService({
    actions: options.actions,
    cooldownMs: parseDuration(options.config.retrain.cooldown),
    defaultActions: (model) =>
      rules.filter((rule) => rule.matchesModel(model)).flatMap((rule) => [...rule.retrain]),
    delivery: options.delivery,
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
}
