// What the HTTP listeners (the API's and the ingest role's metrics listener) share: timeouts that
// close slow clients, the TLS certificate and key read from server.tls, and the start-up checks
// of the server section (timeouts in order; no anonymous API on a non-loopback address).
import { readFileSync } from "node:fs";
import type { ServerOptions as HttpServerOptions } from "node:http";
import {
  ConfigError,
  type DriftwatchConfig,
  checkServerConfig,
  checkServerExposure,
  type ServerConfig,
  type ServerTlsConfig,
} from "../config/index.js";

/** PEM certificate and key, read once at start-up. */
export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Read server.tls's files; a missing or unreadable one is a ConfigError naming its key. */
export function readTlsCredentials(tls: ServerTlsConfig): TlsCredentials {
  const read = (key: "cert" | "key"): Buffer => {
    try {
      return readFileSync(tls[key]);
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "file not found"
          : (error as Error).message;
      throw new ConfigError([
        { path: ["server", "tls", key], message: `cannot read ${tls[key]}: ${reason}` },
      ]);
    }
  };
  return { cert: read("cert"), key: read("key") };
}

/**
 * How often Node looks for connections past headersTimeoutMs / requestTimeoutMs (Node's default,
 * 30 s, would let a 10 s limit hold a slow client for up to 40 s).
 */
export function connectionsCheckingIntervalMs(server: ServerConfig): number {
  const limits = [server.headersTimeoutMs, server.requestTimeoutMs].filter((limit) => limit > 0);
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(...limits) / 4)));
}

/** Node http(s).createServer options: header and request deadlines, checked often enough. */
export function nodeServerOptions(server: ServerConfig): HttpServerOptions {
  return {
    headersTimeout: server.headersTimeoutMs,
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionsCheckingInterval: connectionsCheckingIntervalMs(server),
  };
}

/** Fastify options of the API listener: the same deadlines, idle timeout, and TLS when set. */
export function listenerOptions(server: ServerConfig) {
  const node = nodeServerOptions(server);
  const common = {
    requestTimeout: server.requestTimeoutMs,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    connectionTimeout: server.connectionTimeoutMs,
  };
  if (server.tls === undefined) return { ...common, http: node };
  return { ...common, https: { ...node, ...readTlsCredentials(server.tls) } };
}

/**
 * Refuse, before anything starts, a server section the listener cannot honour: headers deadline
 * after the request deadline, unreadable TLS files, and — when the API is served — anonymous
 * reads on an address others can reach (unless server.allowAnonymous).
 */
export function assertServerStartable(config: DriftwatchConfig, servesApi: boolean): void {
  const issues = [
    ...checkServerConfig(config.server),
    ...(servesApi ? checkServerExposure(config.server, config.auth) : []),
  ];
  if (issues.length > 0) throw new ConfigError(issues);
  if (config.server.tls !== undefined) readTlsCredentials(config.server.tls);
}
