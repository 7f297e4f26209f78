// Network probes the stack uses to tell a healthy server from a busy port: TCP connect, HTTP GET
// with a timeout, free-port discovery, and the tail of a log file for error messages.
import { existsSync, readFileSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
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

/**
 * GET a URL on a fresh connection that is closed afterwards (a pooled keep-alive socket would
 * hold up a server's graceful shutdown); undefined when nothing answers in time.
 */
export function httpGet(url: string, timeoutMs = 2_000): Promise<HttpAnswer | undefined> {
  return new Promise((resolveAnswer) => {
    let settled = false;
    const finish = (answer: HttpAnswer | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolveAnswer(answer);
    };
    const request = httpRequest(
      url,
      { agent: false, headers: { connection: "close" } },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= 1_000_000) chunks.push(chunk);
        });
        response.once("end", () =>
          finish({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        response.once("error", () => finish(undefined));
      },
    );
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    request.once("error", () => finish(undefined));
    request.end();
  });
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
