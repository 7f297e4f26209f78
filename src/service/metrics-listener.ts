// A minimal HTTP listener for the ingest role: GET /metrics (Prometheus text), /healthz (the
// process is alive) and /readyz (every registered readiness check passes; failures say a generic
// reason, details go to the log). The full API (fastify) mounts the same registry and checks
// later. Optionally HTTPS (server.tls), with the API's deadlines for slow clients.
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { publicReadinessReason, readinessChangeLogger } from "../api/index.js";
import type { Logger } from "../util/index.js";

/** A named readiness check: an empty string when ready, otherwise why not. */
export type ReadinessCheck = () => string;

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** Node server options: headersTimeout, requestTimeout, keepAliveTimeout… (Node's defaults). */
  readonly serverOptions?: http.ServerOptions;
  /** Close a connection idle this long (0 or unset: never). */
  readonly connectionTimeoutMs?: number;
  /** Serve HTTPS with this PEM certificate and key. */
  readonly tls?: { readonly cert: Buffer | string; readonly key: Buffer | string };
  /** Where failing readiness checks' details are logged (on change). */
  readonly logger?: Logger;
}

/** Lifecycle: `startMetricsServer` resolves once listening; `close()` stops it. */
export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

function readinessReport(
  checks: Readonly<Record<string, ReadinessCheck>>,
  logChange: (name: string, detail: string) => void,
): {
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
      problem = (error as Error).message || "failed";
    }
    logChange(name, problem);
    report[name] = problem === "" ? "ok" : publicReadinessReason(name, problem);
    if (problem !== "") ready = false;
  }
  return { ready, checks: report };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const logChange = readinessChangeLogger((name, detail, previous) => {
    if (detail === "")
      options.logger?.info({ check: name, was: previous }, "readiness check passes again");
    else options.logger?.warn({ check: name, reason: detail }, "readiness check fails");
  });
  const handler: http.RequestListener = (request, response) => {
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
        (error: Error) => {
          options.logger?.error({ err: error }, "metrics collection failed");
          reply(500, "text/plain; charset=utf-8", "metrics collection failed\n");
        },
      );
    } else if (path === "/healthz") {
      reply(200, "application/json", JSON.stringify({ status: "ok" }) + "\n");
    } else if (path === "/readyz") {
      const report = readinessReport(options.readiness ?? {}, logChange);
      reply(
        report.ready ? 200 : 503,
        "application/json",
        JSON.stringify({ status: report.ready ? "ready" : "not ready", checks: report.checks }) +
          "\n",
      );
    } else {
      reply(404, "text/plain; charset=utf-8", "not found\n");
    }
  };
  const serverOptions: http.ServerOptions = { keepAliveTimeout: 5_000, ...options.serverOptions };
  const server =
    options.tls === undefined
      ? http.createServer(serverOptions, handler)
      : https.createServer(
          { ...serverOptions, cert: options.tls.cert, key: options.tls.key },
          handler,
        );
  // Idle keep-alive connections (Prometheus scrapes) must not hold close() open.
  server.keepAliveTimeout = serverOptions.keepAliveTimeout ?? 5_000;
  if (options.connectionTimeoutMs !== undefined && options.connectionTimeoutMs > 0) {
    server.setTimeout(options.connectionTimeoutMs);
  }
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
