// Errors the alerts module reports to its callers (API routes, CLI): bad input names the field.

/** Input from a user (API body, CLI flag) is invalid; `field` names it. Maps to HTTP 400. */
export class AlertsInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "AlertsInputError";
  }
}

/** A named thing (silence, receiver, retrain action, model) does not exist. Maps to HTTP 404. */
export class AlertsNotFoundError extends Error {
  constructor(
    readonly what: string,
    readonly identifier: string,
  ) {
    super(`unknown ${what} ${JSON.stringify(identifier)}`);
    this.name = "AlertsNotFoundError";
  }
}
