// A real HTTP server on loopback that records every request — method, path, headers, body,
// arrival time — and answers from a script (default 200 "ok"). The demo's webhook receivers and
// the tests' webhook, GitHub, Airflow, Jenkins and Kubeflow stand-ins build on it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  /** The request target as sent (query string included). */
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body's bytes as received (what a signature covers). */
  readonly rawBody: Buffer;
  readonly at: number;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Wait this long before answering (real milliseconds). */
  readonly delayMs?: number;
}

/** The answer to a request, or undefined for the default (200 "ok"). */
export type Responder = (request: RecordedRequest) => ScriptedResponse | undefined;

/** A JSON answer. */
export function json(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): ScriptedResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Lifecycle: `start(port?)` listens (port 0: a free one), `stop()` closes every connection; a
 * stopped receiver can start again on its old port (`start(receiver.port)`), keeping its records.
 */
export class HttpReceiver {
  readonly requests: RecordedRequest[] = [];
  /** Answers used in order; then `responder`, then 200 "ok". */
  script: ScriptedResponse[] = [];
  responder: Responder | undefined;
  private server?: Server;
  private listeningPort = 0;

  constructor(responder?: Responder) {
    this.responder = responder;
  }

  /** Listen on `port` (default a free one); resolves with the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.listeningPort = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  /** The port it listens on (or last listened on, once stopped). */
  get port(): number {
    return this.listeningPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.listeningPort}`;
  }

  /** Requests to one path. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const rawBody = Buffer.concat(chunks);
      const request: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: rawBody.toString("utf8"),
        rawBody,
        at: Date.now(),
      };
      this.requests.push(request);
      const answer = this.script.shift() ??
        this.responder?.(request) ?? { status: 200, body: "ok" };
      if (answer.delayMs !== undefined)
        await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      res.writeHead(answer.status, { "Content-Type": "text/plain", ...answer.headers });
      res.end(answer.body ?? "");
    } catch (error) {
      // A responder that throws (or a client that went away) answers 500, never crashes.
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end(String(error));
    }
  }
}
