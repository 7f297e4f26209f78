// Public surface of the integrations with systems teams already run (feature layer, beside
// src/monitor): the MLflow model registry follower, its webhook receiver and tag write-back.
// src/service wires them into a process; src/api serves the webhook route.
export {
  createMlflowIntegration,
  type MlflowIntegration,
  type MlflowIntegrationOptions,
} from "./mlflow/integration.js";
export { MlflowClient, type MlflowModelVersion, type MlflowRun } from "./mlflow/client.js";
export { MlflowError, MlflowReferenceError, MlflowWebhookError } from "./mlflow/errors.js";
export {
  MLFLOW_ACTOR,
  MlflowFollower,
  type FollowOutcome,
  type FollowResult,
} from "./mlflow/follower.js";
export {
  MlflowWebhookReceiver,
  parseMlflowWebhook,
  verifyMlflowSignature,
  type MlflowWebhookEvent,
  type WebhookAnswer,
  type WebhookDelivery,
} from "./mlflow/webhook.js";
export {
  DRIFT_SHARE_TAG,
  STATUS_TAG,
  MlflowTagWriter,
  type EvaluatedVersion,
} from "./mlflow/tags.js";
export { parseLoggedTime } from "./mlflow/reference.js";
