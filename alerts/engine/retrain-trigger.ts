// From alerts that fired in one batch to retrain requests: one request per model (however many
// of its features fired), for the union of the rules' retrain actions, keyed by the episode so a
// re-evaluation of the same episode can never claim a second retrain.
import { storedText, type Logger } from "../../src/util/index.js";
import type { AlertState } from "../model/alert.js";
import { episodeId } from "../model/notification.js";
import type { RetrainService } from "../retrain/retrain-service.js";
import { alertSummary } from "../templates/format.js";
import type { CompiledRule } from "./compiled-rule.js";

export function triggerRetrains(
  service: RetrainService,
  fired: readonly { rule: CompiledRule; alert: AlertState }[],
  now: number,
  logger?: Logger,
): void {
  const byModel = new Map<string, { rule: CompiledRule; alert: AlertState }[]>();
  for (const item of fired) {
    if (item.rule.retrain.length === 0) continue;
    const model = item.alert.labels.model ?? "";
    const list = byModel.get(model) ?? [];
    list.push(item);
    byModel.set(model, list);
  }
  for (const [model, items] of byModel) {
    const actions = [...new Set(items.flatMap((item) => [...item.rule.retrain]))];
    const first = items[0]!.alert;
    const more =
      items.length > 1 ? ` (+${items.length - 1} more alert${items.length > 2 ? "s" : ""})` : "";
    service
      .request(
        {
          model,
          ...(first.modelVersion !== undefined ? { modelVersion: first.modelVersion } : {}),
          source: "alert",
          reason: storedText(`${first.rule} fired: ${alertSummary(first)}${more}`, 1000),
          alerts: items.map(({ alert }) => ({
            rule: alert.rule,
            fingerprint: alert.fingerprint,
            labels: alert.labels,
            value: alert.value,
            threshold: alert.threshold,
            ...(alert.activeAt !== undefined ? { activeAt: alert.activeAt } : {}),
            ...(alert.windowStart !== undefined ? { windowStart: alert.windowStart } : {}),
            ...(alert.windowEnd !== undefined ? { windowEnd: alert.windowEnd } : {}),
          })),
          actions,
          episode: items
            .map(({ alert }) => episodeId(alert))
            .sort()
            .join(","),
        },
        now,
      )
      .catch((error: unknown) => {
        logger?.error({ err: (error as Error).message, model }, "could not request a retrain");
      });
  }
}
