// What the demo shows while it runs: numbered steps on stdout, a waiting line that updates, and
// `waitFor` — every wait of the demo has a deadline and says which step did not happen.
export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
    this.name = "DemoStepError";
  }
}

export class Progress {
  private readonly started = Date.now();
  private readonly interactive: boolean;
  /** The step running now (named when the demo fails). */
  current = "start";

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.interactive = out.isTTY === true;
  }

  elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1).padStart(5)}s`;
  }

  step(text: string): void {
    this.current = text;
    this.out.write(`[${this.elapsed()}] ${text}\n`);
  }

  detail(text: string): void {
    this.out.write(`          ${text}\n`);
  }

  /** A status line that is rewritten in place on a terminal (printed on change otherwise). */
  status(text: string, last: { value: string }): void {
    if (text === last.value) return;
    last.value = text;
    if (this.interactive) this.out.write(`\r\x1b[2K          … ${text}`);
    else this.out.write(`          … ${text}\n`);
  }

  endStatus(): void {
    if (this.interactive) this.out.write("\r\x1b[2K");
  }
}

/**
 * Poll `check` until it returns a value other than undefined; show `describe()` meanwhile.
 * Throws DemoStepError naming `step` when `timeoutMs` passes.
 */
export async function waitFor<T>(
  progress: Progress,
  step: string,
  timeoutMs: number,
  check: () => Promise<T | undefined>,
  describe: () => string,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const last = { value: "" };
  for (;;) {
    let lastError = "";
    try {
      const result = await check();
      if (result !== undefined) {
        progress.endStatus();
        return result;
      }
    } catch (error) {
      lastError = (error as Error).message;
    }
    progress.status(`${describe()}${lastError === "" ? "" : ` (${lastError})`}`, last);
    if (Date.now() > deadline) {
      progress.endStatus();
      throw new DemoStepError(
        step,
        `${step}: did not happen within ${timeoutMs / 1000} s (last seen: ${describe()}${lastError === "" ? "" : `; ${lastError}`})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
