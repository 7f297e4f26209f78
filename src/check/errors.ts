// The error `check` raises for bad input files or options: a message naming the file, line or
// column and the reason. The CLI prints it on stderr and exits with code 2.

export class CheckInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckInputError";
  }
}
