// The engine's input: one batch of evaluation results for one model and window, as the monitor
// produces them. The types live in the result vocabulary (detectors/vocabulary/observation.ts);
// this is the alert engine's name for them.
export {
  HEALTH_METRICS,
  LOWER_IS_BETTER_METRICS,
  OBSERVATION_KINDS,
  RESULT_KINDS,
  SERVICE_MODEL,
  type Observation,
  type ObservationKind,
  type ResultBatch,
  type ResultKind,
} from "../../detectors/index.js";
