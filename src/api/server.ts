// Listening and closing: checks the server section (no anonymous API on a non-loopback address,
// timeouts in order, TLS files readable), starts the built app on the configured host and port
// (HTTPS with server.tls), and closes it gracefully (in-flight requests finish, new ones get 503,
// idle connections are dropped).
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { buildApp } from "./app.js";
import type { ApiDependencies } from "./context.js";
import { assertServerStartable } from "./listener.js";

/** Lifecycle: `startApiServer` resolves once listening; `close()` once. */
export interface ApiServer {
  readonly app: FastifyInstance;
  readonly port: number;
  close(): Promise<void>;
}

export async function startApiServer(dependencies: ApiDependencies): Promise<ApiServer> {
  assertServerStartable(dependencies.config, true);
  const app = await buildApp(dependencies);
  const { host, port } = dependencies.config.server;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    app,
    port: address.port,
    close: () => {
      closing ??= (async () => {
        // Keep-alive connections from scrapers must not hold the close open.
        app.server.closeIdleConnections();
        await app.close();
      })();
      return closing;
    },
  };
}
