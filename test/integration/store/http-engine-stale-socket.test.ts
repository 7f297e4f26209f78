// A kept-alive socket that the server drops while idle must not fail the next request: the
// engine sends it once more on a fresh connection. The peer here is a real HTTP server on
// loopback that resets a connection when a second request arrives on it.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClickHouseUnavailableError, createHttpEngine, sql } from "../../../src/store/index.js";

const RESPONSE_BODY = '{"answer":1}\n';

function startResettingServer(
  resetAll: boolean,
): Promise<{ server: net.Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    let requestsOnSocket = 0;
    socket.on("data", (chunk) => {
      // One request per chunk is enough for these tiny bodies; count request lines.
      const requests = chunk.toString("latin1").split("POST ").length - 1;
      for (let i = 0; i < requests; i++) {
        requestsOnSocket += 1;
        if (requestsOnSocket > 1 || resetAll) {
          socket.resetAndDestroy();
          return;
        }
        socket.write(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n" +
            `Content-Length: ${Buffer.byteLength(RESPONSE_BODY)}\r\n\r\n${RESPONSE_BODY}`,
        );
      }
    });
    socket.on("error", () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ server, port, connections: () => connections });
    });
  });
}

describe("HTTP engine keep-alive", () => {
  let peer: Awaited<ReturnType<typeof startResettingServer>>;

  beforeAll(async () => {
    peer = await startResettingServer(false);
  });
  afterAll(() => new Promise<void>((resolve) => peer.server.close(() => resolve())));

  it("sends a request again on a fresh socket when the reused one was reset", async () => {
    const engine = createHttpEngine({ url: `http://127.0.0.1:${peer.port}` });
    try {
      expect(await engine.query(sql`SELECT 1 AS answer`)).toEqual([{ answer: 1 }]);
      // Same socket again: the server resets it; the engine must retry on a new connection.
      expect(await engine.query(sql`SELECT 1 AS answer`)).toEqual([{ answer: 1 }]);
      expect(peer.connections()).toBe(2);
    } finally {
      await engine.close();
    }
  });

  it("still reports a reset on a fresh socket as the server being unavailable", async () => {
    const resetting = await startResettingServer(true);
    const engine = createHttpEngine({ url: `http://127.0.0.1:${resetting.port}` });
    try {
      await expect(engine.query(sql`SELECT 1 AS answer`)).rejects.toBeInstanceOf(
        ClickHouseUnavailableError,
      );
      expect(resetting.connections()).toBe(1);
    } finally {
      await engine.close();
      await new Promise<void>((resolve) => resetting.server.close(() => resolve()));
    }
  });
});
