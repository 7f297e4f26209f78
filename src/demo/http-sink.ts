// A small loopback HTTP server the demo's sinks build on: collects each request's raw body and
// headers and lets the owner answer it.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SinkRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface SinkAnswer {
  readonly status: number;
  readonly body: unknown;
}

export class HttpSink {
  private server?: Server;
  private port = 0;

  constructor(private readonly answer: (request: SinkRequest) => Promise<SinkAnswer>) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request: SinkRequest = {
          method: req.method ?? "GET",
          path: (req.url ?? "/").split("?")[0] ?? "/",
          headers: req.headers,
          body: Buffer.concat(chunks),
        };
        void this.answer(request)
          .catch((error: unknown) => ({ status: 500, body: { error: String(error) } }))
          .then((answer) => {
            res.writeHead(answer.status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(answer.body));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
