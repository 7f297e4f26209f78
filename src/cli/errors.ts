// Errors a command throws to end the CLI with a message on stderr and a chosen exit code.

/** A user-facing failure: printed as `driftwatch: <message>` on stderr, exit code 2 by default. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}
