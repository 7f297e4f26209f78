// Public surface of the alerts module: the engine the monitor drives, the result-batch types it
// consumes, the functions API routes and the CLI call, the config section and receiver helpers.
export {
  AlertEngine,
  type AlertEngineOptions,
  type BatchResult,
  type TransitionRecord,
} from "./engine/alert-engine.js";
export { evaluate, type Evaluation, type WindowObservations } from "./engine/evaluate.js";
export { compileRules, type CompiledRule, type GroupSettings } from "./engine/compiled-rule.js";
export {
  HEALTH_METRICS,
  OBSERVATION_KINDS,
  RESULT_KINDS,
  SERVICE_MODEL,
  type Observation,
  type ObservationKind,
  type ResultBatch,
  type ResultKind,
} from "./model/observation.js";
export {
  ALERT_STATES,
  type AlertState,
  type AlertStateName,
  type AlertTransition,
} from "./model/alert.js";
export {
  createAlertsApi,
  type AlertsApi,
  type AlertsApiOptions,
  type RetrainApiInput,
} from "./api.js";
export type { RetrainDelivery, RetrainOutcome } from "./retrain/retrain-service.js";
export type { CreateSilenceInput } from "./store/silence-store.js";
export { AlertStateStore } from "./store/alert-state-store.js";
export { alertView, silenceView, type AlertView, type SilenceView } from "./views.js";
export { AlertsInputError, AlertsNotFoundError } from "./errors.js";
export {
  sendTestNotification,
  sampleNotification,
  type TestDeliveryResult,
} from "./sample-notification.js";
export {
  AlertsSchema,
  checkAlertsConfig,
  type AlertsConfig,
  type AlertsConfigIssue,
} from "../src/config/index.js";
export { createAlertMetrics, type AlertMetrics } from "./metrics.js";
export {
  computeSignature,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
  type SignatureVerdict,
  type VerifySignatureInput,
} from "./notifiers/signature.js";
export { systemClock, type Clock } from "./time/clock.js";
export { ManualClock } from "./time/manual-clock.js";
