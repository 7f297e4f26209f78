// What goes wrong talking to MLflow or reading what it sends: an error naming the request (or the
// field) at fault, and whether trying again later may help.

/** A request to the MLflow server failed, or its answer lacked a field driftwatch needs. */
export class MlflowError extends Error {
  constructor(
    message: string,
    /** 5xx, 429, timeouts and network errors: the same request may succeed later. */
    readonly retryable: boolean,
    /** HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** MLflow's `error_code` (e.g. RESOURCE_DOES_NOT_EXIST), when it sent one. */
    readonly errorCode?: string,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

/** A version's reference cannot be built from what its run holds (missing param, bad artifact). */
export class MlflowReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MlflowReferenceError";
  }
}

/** A webhook delivery driftwatch refuses: a bad signature, or a payload that is not MLflow's. */
export class MlflowWebhookError extends Error {
  constructor(
    readonly reason: "signature" | "payload",
    message: string,
    /** The payload field at fault (payload errors). */
    readonly field?: string,
  ) {
    super(message);
    this.name = "MlflowWebhookError";
  }
}
