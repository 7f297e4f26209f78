// Pipeline stage "silence": firing alerts matched by an active silence are held back. Resolves of
// alerts already notified as firing still go out, so nobody is left believing it still fires.
import type { AlertState } from "../model/alert.js";
import type { SilenceSet } from "../silences/silence.js";

export interface StageResult {
  readonly kept: AlertState[];
  readonly muted: AlertState[];
}

export function silenceStage(
  alerts: readonly AlertState[],
  silences: SilenceSet,
  now: number,
): StageResult {
  const kept: AlertState[] = [];
  const muted: AlertState[] = [];
  for (const alert of alerts) {
    if (alert.state === "firing" && silences.silencedBy(alert.labels, now).length > 0)
      muted.push(alert);
    else kept.push(alert);
  }
  return { kept, muted };
}
