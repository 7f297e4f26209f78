// Progress of `check` on stderr: a redrawn status line when stderr is a terminal, otherwise a
// plain line at most every 10 seconds (so small files print nothing and logs stay readable).

export interface ProgressReporter {
  /** Bytes of one input file consumed so far. */
  reading(label: string, bytesRead: number, totalBytes: number): void;
  /** A phase that may take a while (e.g. computing statistics). */
  phase(text: string): void;
  /** Clears the status line; called once at the end. */
  finish(): void;
}

export const silentProgress: ProgressReporter = {
  reading: () => undefined,
  phase: () => undefined,
  finish: () => undefined,
};

const TERMINAL_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 10_000;

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0);
}

export function stderrProgress(
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = Date.now,
): ProgressReporter {
  const terminal = stream.isTTY === true;
  const started = now();
  let lastWrite = terminal ? Number.NEGATIVE_INFINITY : started;
  let lineShown = false;
  const files = new Map<string, [number, number]>();
  const write = (text: string, force: boolean): void => {
    const time = now();
    const interval = terminal ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS;
    if (!force && time - lastWrite < interval) return;
    lastWrite = time;
    if (terminal) {
      stream.write(`\r\x1b[K${text}`);
      lineShown = true;
    } else {
      stream.write(`driftwatch check: ${text}\n`);
    }
  };
  return {
    reading(label, bytesRead, totalBytes) {
      // Both files may be read at once: one status for all of them.
      files.set(label, [bytesRead, totalBytes]);
      const parts = [...files].map(([name, [read, total]]) => {
        const percent = total > 0 ? Math.min(100, Math.floor((100 * read) / total)) : 100;
        return `${name} file: ${percent}% (${megabytes(read)} of ${megabytes(total)} MB)`;
      });
      write(`reading ${parts.join(", ")}`, false);
    },
    phase(text) {
      // Phases are worth a log line only once the run is long enough to need progress at all.
      write(text, terminal || now() - started >= LOG_INTERVAL_MS);
    },
    finish() {
      if (terminal && lineShown) stream.write("\r\x1b[K");
      lineShown = false;
    },
  };
}
