// Checks a result batch at the seam between monitor and alert engine, so a malformed batch is
// refused with the field and the reason instead of producing odd alerts.
import { AlertsInputError } from "../errors.js";
import { OBSERVATION_KINDS, type ResultBatch } from "../model/observation.js";
import { MODEL_NAME } from "../retrain/retrain-service.js";

export function validateBatch(batch: ResultBatch): void {
  if (batch === null || typeof batch !== "object")
    throw new AlertsInputError("batch", "must be an object");
  if (typeof batch.model !== "string" || !MODEL_NAME.test(batch.model)) {
    throw new AlertsInputError("model", "must match [A-Za-z0-9_.-]{1,64}");
  }
  if (!Number.isFinite(batch.windowStart))
    throw new AlertsInputError("windowStart", "must be epoch milliseconds");
  if (!Number.isFinite(batch.windowEnd))
    throw new AlertsInputError("windowEnd", "must be epoch milliseconds");
  if (batch.windowEnd < batch.windowStart)
    throw new AlertsInputError("windowEnd", "must not be before windowStart");
  if (!Array.isArray(batch.observations))
    throw new AlertsInputError("observations", "must be a list");
  batch.observations.forEach((observation, index) => {
    const at = `observations[${index}]`;
    if (!(OBSERVATION_KINDS as readonly string[]).includes(observation.kind)) {
      throw new AlertsInputError(`${at}.kind`, `must be one of ${OBSERVATION_KINDS.join(", ")}`);
    }
    if (typeof observation.metric !== "string" || observation.metric === "") {
      throw new AlertsInputError(`${at}.metric`, "must be a non-empty string");
    }
    if (typeof observation.value !== "number")
      throw new AlertsInputError(`${at}.value`, "must be a number");
    if (
      observation.feature !== undefined &&
      (typeof observation.feature !== "string" || observation.feature === "")
    ) {
      throw new AlertsInputError(`${at}.feature`, "must be a non-empty string when present");
    }
  });
}
