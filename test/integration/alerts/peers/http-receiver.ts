// A real HTTP server on loopback (port 0) that records every request — method, path, headers,
// raw body, arrival time — and answers from a script (default 200). Stands in for webhook
// receivers, GitHub, Airflow, Jenkins and Kubeflow.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly at: number;
}

export interface ScriptedResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Wait this long before answering (real milliseconds). */
  readonly delayMs?: number;
}

export type Responder = (request: RecordedRequest) => ScriptedResponse | undefined;

export class HttpReceiver {
  readonly requests: RecordedRequest[] = [];
  /** Answers used in order; then `responder`, then 200 "ok". */
  script: ScriptedResponse[] = [];
  responder: Responder | undefined;
  private server?: Server;

  /** Listen on `port` (default a free one; a stopped receiver can come back on its old port). */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Requests to one path. */
  to(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    if (this.server === undefined) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    this.requests.push(request);
    const answer = this.script.shift() ?? this.responder?.(request) ?? { status: 200, body: "ok" };
    if (answer.delayMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    res.writeHead(answer.status, { "Content-Type": "text/plain", ...answer.headers });
    res.end(answer.body ?? "");
  }
}
