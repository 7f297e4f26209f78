// The error type for stack failures meant for the user (port held, install or start-up failed).

/** A stack failure with a message meant for the user (the CLI prints it and exits 1). */
export class StackError extends Error {
  override readonly name = "StackError";
}
