// Shutdown on SIGTERM / SIGINT: the first signal starts a graceful stop, a second one exits at
// once (exit code 130) for an operator who does not want to wait.

export type ShutdownSignal = "SIGTERM" | "SIGINT";

/** Install the handlers; returns a function that removes them. */
export function onShutdownSignals(handler: (signal: ShutdownSignal) => void): () => void {
  let received = false;
  const listener = (signal: ShutdownSignal): void => {
    if (received) {
      process.stderr.write(`driftwatch: second ${signal}, exiting without finishing\n`);
      process.exit(130);
    }
    received = true;
    handler(signal);
  };
  process.on("SIGTERM", listener);
  process.on("SIGINT", listener);
  return () => {
    process.off("SIGTERM", listener);
    process.off("SIGINT", listener);
  };
}
