// Network probes the stack uses to tell a healthy server from a busy port: TCP connect, HTTP GET
// with a timeout, free-port discovery, and the tail of a log file for error messages.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** Whether something accepts TCP connections on host:port. */
export function isPortListening(
  port: number,
  host = "127.0.0.1",
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((resolveListening) => {
    const socket = connect({ port, host });
    const done = (listening: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolveListening(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** GET a URL; undefined when nothing answers (refused, reset, timeout, not HTTP). */
export async function httpGet(url: string, timeoutMs = 2_000): Promise<HttpAnswer | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch {
    return undefined;
  }
}

/** A TCP port that is free on 127.0.0.1 right now (the OS picks it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Poll `check` until it returns a value other than undefined, or the timeout passes. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + intervalMs > deadline) return undefined;
    await sleep(intervalMs);
  }
}

/** The last `lines` lines of a text file ("" when it does not exist), for error messages. */
export function tailFile(path: string, lines = 25, maxBytes = 64 * 1024): string {
  if (!existsSync(path)) return "";
  const size = statSync(path).size;
  const text = readFileSync(path)
    .subarray(Math.max(0, size - maxBytes))
    .toString("utf8");
  return text
    .split("\n")
    .slice(-lines - 1)
    .join("\n")
    .trimEnd();
}

/** A log tail formatted for an error message: indented, with the file name. */
export function logExcerpt(path: string, lines = 25): string {
  const tail = tailFile(path, lines);
  if (tail === "") return `(log ${path} is empty or missing)`;
  return (
    `last lines of ${path}:\n` +
    tail
      .split("\n")
      .map((line) => `  | ${line}`)
      .join("\n")
  );
}
