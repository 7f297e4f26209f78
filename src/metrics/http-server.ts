// A minimal HTTP listener for the ingest role: GET /metrics (Prometheus text), /healthz (the
// process is alive) and /readyz (every registered readiness check passes). The full API
// (fastify) mounts the same registry and checks later.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** A named readiness check: an empty string when ready, otherwise why not. */
export type ReadinessCheck = () => string;

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
}

/** Lifecycle: `startMetricsServer` resolves once listening; `close()` stops it. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

function readinessReport(checks: Readonly<Record<string, ReadinessCheck>>): {
  ready: boolean;
  checks: Record<string, string>;
} {
  const report: Record<string, string> = {};
  let ready = true;
  for (const [name, check] of Object.entries(checks)) {
    let problem: string;
    try {
      problem = check();
    } catch (error) {
      problem = (error as Error).message;
    }
    report[name] = problem === "" ? "ok" : problem;
    if (problem !== "") ready = false;
  }
  return { ready, checks: report };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const reply = (status: number, type: string, body: string): void => {
      response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    if (request.method !== "GET" && request.method !== "HEAD") {
      reply(405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    if (path === "/metrics") {
      options.registry.metrics().then(
        (text) => reply(200, options.registry.contentType, text),
        (error: Error) => reply(500, "text/plain; charset=utf-8", `${error.message}\n`),
      );
    } else if (path === "/healthz") {
      reply(200, "application/json", JSON.stringify({ status: "ok" }) + "\n");
    } else if (path === "/readyz") {
      const report = readinessReport(options.readiness ?? {});
      reply(
        report.ready ? 200 : 503,
        "application/json",
        JSON.stringify({ status: report.ready ? "ready" : "not ready", checks: report.checks }) +
          "\n",
      );
    } else {
      reply(404, "text/plain; charset=utf-8", "not found\n");
    }
  });
  // Idle keep-alive connections (Prometheus scrapes) must not hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
