// The HTTP engine against real peers on loopback: ClickHouse 18.16 itself, a counting proxy in
// front of it (one request per insert batch, which settings are sent), a TLS-terminating proxy
// with its own CA, a server that never answers, and a closed port.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  ClickHouseQueryError,
  ClickHouseUnavailableError,
  createHttpEngine,
  dropDatabase,
  qualifiedName,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { clickHouseUrl, ENGINES, uniqueDatabase } from "../../support/stack.js";

interface SeenRequest {
  readonly params: URLSearchParams;
  readonly bodyBytes: number;
}

/** Forwards every request to ClickHouse and records it; `reply503` makes it answer 503 instead. */
function startProxy(
  server: http.Server,
  seen: SeenRequest[],
  state: { reply503: boolean },
): Promise<number> {
  const target = new URL(clickHouseUrl());
  server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? "/", "http://proxy");
      seen.push({ params: url.searchParams, bodyBytes: body.length });
      if (state.reply503) {
        response.writeHead(503).end("Service Unavailable");
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on("error", () => response.writeHead(502).end("bad gateway"));
      upstream.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A CA and a server certificate for 127.0.0.1/localhost signed by it, made with openssl. */
function makeCertificates(dir: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=driftwatch test CA",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
  );
  run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    "/CN=localhost",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
  );
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    "server.pem",
  );
  return {
    ca: readFileSync(join(dir, "ca.pem")),
    key: readFileSync(join(dir, "server.key")),
    cert: readFileSync(join(dir, "server.pem")),
  };
}

describe("HTTP engine against ClickHouse 18.16", () => {
  const database = uniqueDatabase("http");
  const seen: SeenRequest[] = [];
  const proxyState = { reply503: false };
  const proxy = http.createServer();
  let engine: SqlEngine;
  let proxied: SqlEngine;

  beforeAll(async () => {
    engine = createHttpEngine({ url: clickHouseUrl() });
    await applyMigrations(engine, database);
    const port = await startProxy(proxy, seen, proxyState);
    proxied = createHttpEngine({ url: `http://127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
    await proxied.close();
    await closeServer(proxy);
  });

  it("answers ping and reports the server version", async () => {
    await engine.ping();
    expect(await engine.serverVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("inserts a batch in exactly one request, with only settings the server knows", async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => ({
      model: "m",
      event_id: `e${index}`,
      label: String(index % 2),
      label_value: index % 2,
      ts: new Date(Date.UTC(2026, 10, 23, 0, 0, index)),
      kafka_topic: "labels",
      kafka_partition: 0,
      kafka_offset: index,
      ingested_at: new Date(),
    }));
    await proxied.serverVersion(); // the one-time probe, so only the insert is counted below
    seen.length = 0;
    await proxied.insert(qualifiedName(database, "labels"), rows);
    expect(seen).toHaveLength(1);
    const insert = seen[0]!;
    expect(insert.params.get("query")).toBe(
      `INSERT INTO \`${database}\`.\`labels\` FORMAT JSONEachRow`,
    );
    expect(insert.params.get("input_format_skip_unknown_fields")).toBe("0");
    const version = await engine.serverVersion();
    if (version.startsWith("18.")) expect(insert.params.has("async_insert")).toBe(false);
    const [row] = await engine.query<{ n: number; offsets: number }>(
      sql`SELECT count() AS n, uniqExact(kafka_offset) AS offsets FROM ${tableRef(database, "labels")}`,
    );
    expect(row).toEqual({ n: 5000, offsets: 5000 });
  });

  it("an unknown column in an insert is rejected, not silently dropped", async () => {
    const error = await engine
      .insert(qualifiedName(database, "audit_log"), [
        { ts: new Date(), actor: "a", action: "b", target: "c", detail: "", extra: 1 },
      ])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ClickHouseQueryError);
    expect((error as ClickHouseQueryError).retryable).toBe(false);
  });

  it("bad statements are ClickHouseQueryError with the server's code", async () => {
    const syntax = await engine.query(sql`SELEC 1`).catch((caught: unknown) => caught);
    expect(syntax).toBeInstanceOf(ClickHouseQueryError);
    expect((syntax as ClickHouseQueryError).code).toBe(62);
    const unknownTable = await engine
      .query(sql`SELECT * FROM ${tableRef(database, "no_such_table")}`)
      .catch((caught: unknown) => caught);
    expect((unknownTable as ClickHouseQueryError).code).toBe(60);
    expect((unknownTable as Error).message).toContain("no_such_table");
  });

  it("a 503 from a proxy is ClickHouseUnavailableError", async () => {
    proxyState.reply503 = true;
    try {
      const error = await proxied.ping().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ClickHouseUnavailableError);
      expect((error as ClickHouseUnavailableError).retryable).toBe(true);
    } finally {
      proxyState.reply503 = false;
    }
    await proxied.ping();
  });

  it("wrong credentials are refused, not retried, and the password is not in the message", async () => {
    const intruder = createHttpEngine({
      url: clickHouseUrl(),
      username: "nobody_here",
      password: "pw-4711",
    });
    const error = await intruder.ping().catch((caught: unknown) => caught);
    await intruder.close();
    expect(error).toBeInstanceOf(ClickHouseQueryError);
    expect((error as Error).message).toContain("nobody_here");
    expect((error as Error).message).not.toContain("pw-4711");
  });

  it("a closed engine refuses further calls", async () => {
    const shortLived = createHttpEngine({ url: clickHouseUrl() });
    await shortLived.ping();
    await shortLived.close();
    await expect(shortLived.ping()).rejects.toBeInstanceOf(ClickHouseQueryError);
  });
});

describe("HTTP engine when the server is unreachable", () => {
  it("a closed port is ClickHouseUnavailableError (retryable)", async () => {
    const server = http.createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
    );
    await closeServer(server);
    const engine = createHttpEngine({ url: `http://127.0.0.1:${port}` });
    const error = await engine.ping().catch((caught: unknown) => caught);
    await engine.close();
    expect(error).toBeInstanceOf(ClickHouseUnavailableError);
    expect((error as Error).message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });

  it("a server that never answers times out as ClickHouseUnavailableError", async () => {
    const silent = http.createServer(() => undefined);
    const port = await new Promise<number>((resolve) =>
      silent.listen(0, "127.0.0.1", () => resolve((silent.address() as AddressInfo).port)),
    );
    const engine = createHttpEngine({ url: `http://127.0.0.1:${port}`, requestTimeoutMs: 300 });
    const started = Date.now();
    const error = await engine.ping().catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;
    await engine.close();
    await closeServer(silent);
    expect(error).toBeInstanceOf(ClickHouseUnavailableError);
    expect((error as Error).message).toMatch(/did not answer within 300 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });
});

describe("HTTP engine over TLS", () => {
  const dir = mkdtempSync(join(tmpdir(), "dw-tls-"));
  let server: https.Server;
  let url: string;
  let ca: Buffer;

  beforeAll(async () => {
    const certificates = makeCertificates(dir);
    ca = certificates.ca;
    server = https.createServer({ key: certificates.key, cert: certificates.cert });
    const port = await startProxy(server, [], { reply503: false });
    url = `https://localhost:${port}`;
  });

  afterAll(async () => {
    await closeServer(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies the server with the configured CA", async () => {
    const engine = createHttpEngine({ url, ca });
    const [row] = await engine.query<{ x: number }>(sql`SELECT 41 + 1 AS x`);
    await engine.close();
    expect(row?.x).toBe(42);
  });

  it("without the CA the certificate is refused, as a non-retryable error", async () => {
    const engine = createHttpEngine({ url });
    const error = await engine.ping().catch((caught: unknown) => caught);
    await engine.close();
    expect(error).toBeInstanceOf(ClickHouseQueryError);
    expect((error as Error).message).toMatch(/certificate/i);
  });

  it("rejectUnauthorized: false skips verification", async () => {
    const engine = createHttpEngine({ url, rejectUnauthorized: false });
    await engine.ping();
    await engine.close();
  });
});

for (const engineUnderTest of ENGINES.filter((candidate) => candidate.name.startsWith("chdb"))) {
  describe(`errors on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("chdb_errors");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await applyMigrations(engine, database);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("bad statements and unknown insert columns are ClickHouseQueryError with the code", async () => {
      const syntax = await engine.query(sql`SELEC 1`).catch((caught: unknown) => caught);
      expect(syntax).toBeInstanceOf(ClickHouseQueryError);
      expect((syntax as ClickHouseQueryError).code).toBe(62);
      const extra = await engine
        .insert(qualifiedName(database, "audit_log"), [
          { ts: new Date(), actor: "a", action: "b", target: "c", detail: "", extra: 1 },
        ])
        .catch((caught: unknown) => caught);
      expect(extra).toBeInstanceOf(ClickHouseQueryError);
    });
  });
}
