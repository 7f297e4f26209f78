// The API's listener on a real socket: slow clients are answered 408 and closed within the
// configured deadlines (headers, whole request, idle keep-alive, idle connection); answers the
// router or Node give before any route (414, 431, malformed HTTP) come in the error shape; the
// server refuses to start on a reachable address with anonymous reads; HTTPS with server.tls
// (a self-signed certificate made by openssl in the test), for the API and the ingest role's
// listener; /readyz names no internal address, and shutdown answers 503 in the error shape.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeServerOptions, startApiServer, type ApiServer } from "../../../src/api/index.js";
import { ConfigError, parseConfig } from "../../../src/config/index.js";
import { createMetricsRegistry } from "../../../src/metrics/registry.js";
import { startMetricsServer } from "../../../src/service/metrics-listener.js";
import { resolveRoles, startService } from "../../../src/service/index.js";
import { createClickHouseEngine } from "../../../src/store/index.js";
import { AUTH_YAML, TOKENS } from "../../support/tokens.js";
import { stubDependencies } from "../../unit/api/stub-app.js";

const run = promisify(execFile);

interface Exchange {
  /** Everything the server sent. */
  readonly received: string;
  /** When the server closed the connection, since the test connected. */
  readonly closedAfterMs: number;
}

/**
 * Connect, send `chunks` one every `everyMs` (then nothing), and report what came back and when
 * the server closed the connection (Infinity if it did not within `giveUpMs`).
 */
function slowClient(port: number, chunks: readonly string[], everyMs: number, giveUpMs = 10_000) {
  return new Promise<Exchange>((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, "127.0.0.1");
    let received = "";
    let next = 0;
    const sender = setInterval(() => {
      if (next < chunks.length && socket.writable) socket.write(chunks[next++]!);
    }, everyMs);
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on("data", (data) => (received += data.toString("utf8")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(sender);
      clearTimeout(giveUp);
      const elapsed = Date.now() - started;
      resolve({ received, closedAfterMs: elapsed >= giveUpMs ? Infinity : elapsed });
    });
  });
}

/** The status and JSON body of the first raw HTTP answer in `text`. */
function firstAnswer(text: string): { status: number; headers: string; body: unknown } {
  const match = /^HTTP\/1\.1 (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/.exec(text);
  if (match === null) throw new Error(`not an HTTP answer: ${JSON.stringify(text.slice(0, 200))}`);
  const headers = match[2]!;
  const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
  const body = match[3]!.slice(0, length);
  return { status: Number(match[1]), headers, body: body === "" ? undefined : JSON.parse(body) };
}

function errorCode(exchange: Exchange): { status: number; code: unknown } {
  const answer = firstAnswer(exchange.received);
  return {
    status: answer.status,
    code: (answer.body as { error?: { code?: unknown } })?.error?.code,
  };
}

/** The API on a free port of 127.0.0.1: `server` holds more server settings, `yaml` other sections. */
async function listen(server: string, yaml = "", overrides = {}): Promise<ApiServer> {
  const settings = ["port: 0", server].filter((part) => part !== "").join(", ");
  return startApiServer(stubDependencies(`server: { ${settings} }\n${yaml}`, overrides));
}

const DEADLINES = "headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300";

describe("slow clients", () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await listen(DEADLINES, AUTH_YAML);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("closes 20 connections trickling their headers with 408 in the error shape", async () => {
    const headers = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n\r\n".split("");
    const exchanges = await Promise.all(
      Array.from({ length: 20 }, () => slowClient(server.port, headers, 50)),
    );
    for (const exchange of exchanges) {
      expect(errorCode(exchange)).toEqual({ status: 408, code: "DW_ERR_REQUEST_TIMEOUT" });
      expect(firstAnswer(exchange.received).headers).toMatch(/connection: close/i);
      // headersTimeoutMs (400) plus the checking interval (100), with room for a loaded machine.
      expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(350);
      expect(exchange.closedAfterMs).toBeLessThan(1_500);
    }
  });

  it("closes a connection that sends nothing at the headers deadline", async () => {
    const silent = await slowClient(server.port, [], 100);
    expect(errorCode(silent)).toEqual({ status: 408, code: "DW_ERR_REQUEST_TIMEOUT" });
    expect(silent.closedAfterMs).toBeLessThan(1_500);
  });

  it("closes a client whose body does not arrive within the request deadline", async () => {
    const head =
      "POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
      `Authorization: Bearer ${TOKENS.writer}\r\nContent-Length: 200\r\n\r\n[`;
    const slowBody = await slowClient(server.port, [head, ...'{"event_id": "a"}'.split("")], 100);
    expect(errorCode(slowBody)).toEqual({ status: 408, code: "DW_ERR_REQUEST_TIMEOUT" });
    expect(slowBody.closedAfterMs).toBeGreaterThanOrEqual(750);
    expect(slowBody.closedAfterMs).toBeLessThan(2_000);
  });

  it("closes an idle keep-alive connection after keepAliveTimeoutMs, with nothing more sent", async () => {
    const idle = await slowClient(
      server.port,
      ["GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"],
      10,
    );
    const answer = firstAnswer(idle.received);
    expect(answer.status).toBe(200);
    expect(idle.received.match(/HTTP\/1\.1/g)).toHaveLength(1);
    // Node closes an idle keep-alive socket about 1 s after keepAliveTimeout (its own margin).
    expect(idle.closedAfterMs).toBeGreaterThanOrEqual(250);
    expect(idle.closedAfterMs).toBeLessThan(2_500);
  });

  it("closes a connection idle for connectionTimeoutMs even before the headers deadline", async () => {
    const idleServer = await listen(
      "headersTimeoutMs: 5000, requestTimeoutMs: 10000, connectionTimeoutMs: 300",
    );
    try {
      const started = await slowClient(idleServer.port, ["GET /healthz HTTP/1.1\r\n"], 10);
      expect(started.closedAfterMs).toBeGreaterThanOrEqual(250);
      expect(started.closedAfterMs).toBeLessThan(2_000);
    } finally {
      await idleServer.close();
    }
  });
  it("applies the same deadlines to the ingest role's listener", async () => {
    const config = parseConfig("server: { headersTimeoutMs: 400, requestTimeoutMs: 800 }", {
      env: {},
    });
    const server = await startMetricsServer({
      registry: createMetricsRegistry(),
      host: "127.0.0.1",
      port: 0,
      serverOptions: nodeServerOptions(config.server),
    });
    try {
      const slow = await slowClient(server.port, "GET /metrics HTTP/1.1\r\nX: 1".split(""), 50);
      expect(firstAnswer(slow.received).status).toBe(408);
      expect(slow.closedAfterMs).toBeLessThan(1_500);
    } finally {
      await server.close();
    }
  });
});

describe("answers before any route, on a real socket", () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await listen("", AUTH_YAML);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers an over-long path segment 414 before the token check", async () => {
    const request = `GET /api/v1/models/${"m".repeat(3_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
    const exchange = await slowClient(server.port, [request], 10);
    expect(errorCode(exchange)).toEqual({ status: 414, code: "DW_ERR_URI_TOO_LONG" });
    // The documented maximum (64 characters) is not a 414: it reaches auth.
    const valid = `GET /api/v1/models/${"m".repeat(64)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;
    expect(errorCode(await slowClient(server.port, [valid], 10))).toEqual({
      status: 401,
      code: "DW_ERR_UNAUTHENTICATED",
    });
  });

  it("answers oversized headers 431 and malformed HTTP 400, in the error shape", async () => {
    const huge = `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`;
    expect(errorCode(await slowClient(server.port, [huge], 10))).toEqual({
      status: 431,
      code: "DW_ERR_HEADERS_TOO_LARGE",
    });
    expect(errorCode(await slowClient(server.port, ["NOT HTTP AT ALL\r\n\r\n"], 10))).toEqual({
      status: 400,
      code: "DW_ERR_BAD_REQUEST",
    });
  });

  it("answers 503 in the error shape to requests that arrive while it shuts down", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const models = { listModels: async () => (await held, []) };
    const closing = await listen("", AUTH_YAML, { monitor: models as never });
    const request = `GET /api/v1/models HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${TOKENS.reader}\r\n\r\n`;
    const socket = connect(closing.port, "127.0.0.1");
    let received = "";
    socket.on("data", (data) => (received += data.toString("utf8")));
    const ended = new Promise((resolve) => socket.on("close", resolve));
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // One request in flight when close() starts; a second one on the same connection afterwards.
    socket.write(request);
    await pause(200);
    const closed = closing.close();
    await pause(100);
    socket.write(request);
    await pause(100);
    release();
    await closed;
    await ended;
    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers).toHaveLength(2);
    expect(firstAnswer(answers[0]!).status).toBe(200);
    expect(errorCode({ received: answers[1]!, closedAfterMs: 0 })).toEqual({
      status: 503,
      code: "DW_ERR_UNAVAILABLE",
    });
    expect(firstAnswer(answers[1]!).headers).toMatch(/connection: close/i);
  });
});

describe("binding", () => {
  it("refuses to start the API on a reachable address with anonymous reads, before listening", async () => {
    const refused = listen("host: 0.0.0.0");
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/server\.host.*server\.allowAnonymous: true/s);
    const allowed = await listen("host: 0.0.0.0, allowAnonymous: true");
    try {
      expect((await fetch(`http://127.0.0.1:${allowed.port}/api/v1/models`)).status).not.toBe(401);
    } finally {
      await allowed.close();
    }
    const withTokens = await listen("host: 0.0.0.0", AUTH_YAML);
    try {
      expect((await fetch(`http://127.0.0.1:${withTokens.port}/api/v1/models`)).status).toBe(401);
    } finally {
      await withTokens.close();
    }
  });

  it("makes `serve --role api` fail at once with the config error, not after waiting on ClickHouse", async () => {
    const config = parseConfig(
      "server: { host: 0.0.0.0, port: 0 }\nclickhouse: { url: http://127.0.0.1:9 }",
      { env: {} },
    );
    const roles = resolveRoles("api");
    if (typeof roles === "string") throw new Error(roles);
    const started = Date.now();
    await expect(
      startService({ config, roles, logger: pino({ level: "silent" }) }),
    ).rejects.toThrow(/^config error at server\.host: .*server\.allowAnonymous/s);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("TLS", () => {
  let dir: string;
  let tlsYaml: string;
  let ca: Buffer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dw-tls-"));
    const [cert, key] = [join(dir, "cert.pem"), join(dir, "key.pem")];
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-days",
      "1",
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    ca = readFileSync(cert);
    tlsYaml = `server: { port: 0, tls: { cert: ${cert}, key: ${key} } }\n`;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function httpsGet(port: number, path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = https.get(
        { host: "127.0.0.1", port, path, ca, servername: "localhost" },
        (response) => {
          let body = "";
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on("error", reject);
    });
  }

  it("serves the API over HTTPS with server.tls, and nothing over plain HTTP", async () => {
    const server = await startApiServer(stubDependencies(tlsYaml));
    try {
      const health = await httpsGet(server.port, "/healthz");
      expect(health).toEqual({ status: 200, body: JSON.stringify({ status: "ok" }) });
      const document = await httpsGet(server.port, "/openapi.json");
      expect(JSON.parse(document.body).openapi).toBe("3.0.3");
      await expect(fetch(`http://127.0.0.1:${server.port}/healthz`)).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it("serves the ingest role's listener over HTTPS too", async () => {
    const config = parseConfig(tlsYaml, { env: {} });
    const server = await startMetricsServer({
      registry: createMetricsRegistry(),
      host: "127.0.0.1",
      port: 0,
      tls: {
        cert: readFileSync(config.server.tls!.cert),
        key: readFileSync(config.server.tls!.key),
      },
    });
    try {
      expect((await httpsGet(server.port, "/healthz")).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("/readyz", () => {
  function capture() {
    let text = "";
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString("utf8");
        done();
      },
    });
    return { logger: pino({ level: "info" }, sink), text: () => text };
  }

  it("says `clickhouse unavailable` without the URL; the log has the details", async () => {
    const log = capture();
    const engine = createClickHouseEngine(
      parseConfig("clickhouse: { url: http://127.0.0.1:9 }", { env: {} }).clickhouse,
    );
    const server = await startApiServer(
      stubDependencies("server: { port: 0 }", {
        engine,
        logger: log.logger,
        readiness: {
          kafka: () => "Kafka unreachable: connect ECONNREFUSED broker-7.internal:9092",
        },
      }),
    );
    try {
      const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(ready.status).toBe(503);
      const text = await ready.text();
      expect(JSON.parse(text)).toEqual({
        status: "not ready",
        checks: { clickhouse: "clickhouse unavailable", kafka: "kafka unavailable" },
      });
      expect(text).not.toMatch(/127\.0\.0\.1|:9\b|broker-7|internal/);
      expect(log.text()).toContain("broker-7.internal:9092");
      expect(log.text()).toMatch(/"check":"clickhouse"/);
    } finally {
      await server.close();
      await engine.close();
    }
  });

  it("names no address on the ingest role's listener either", async () => {
    const log = capture();
    const server = await startMetricsServer({
      registry: createMetricsRegistry(),
      host: "127.0.0.1",
      port: 0,
      logger: log.logger,
      readiness: {
        roles: () =>
          "evaluation failed: request to http://ch-3.prod.internal:8123/ failed; not yet a member of the consumer group",
      },
    });
    try {
      const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: "not ready",
        checks: { roles: "evaluation failed; not yet a member of the consumer group" },
      });
      expect(log.text()).toContain("ch-3.prod.internal:8123");
    } finally {
      await server.close();
    }
  });
});
