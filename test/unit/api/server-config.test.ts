// The server section's defaults and start-up checks (loopback default, no anonymous API on a
// reachable address, timeouts in order, TLS files), and what /readyz may say about a failure.
import { describe, expect, it } from "vitest";
import { assertServerStartable, connectionsCheckingIntervalMs } from "../../../src/api/listener.js";
import { publicReadinessReason } from "../../../src/api/readiness.js";
import { ConfigError, parseConfig } from "../../../src/config/index.js";
import { isLoopbackHost } from "../../../src/config/schema/server.js";

const TOKENS = `auth:
  tokens: [{ name: pipeline, token: "\${WRITE}", role: write }]
`;
const env = { WRITE: "write-token-0123456789" };
const config = (yaml: string) => parseConfig(yaml, { env });

function startError(yaml: string, servesApi = true): string | undefined {
  try {
    assertServerStartable(config(yaml), servesApi);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

describe("server defaults", () => {
  it("listens on loopback only, with deadlines for slow clients and a rate limit", () => {
    const { server } = config("");
    expect(server.host).toBe("127.0.0.1");
    expect(server.allowAnonymous).toBe(false);
    expect(server).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      connectionTimeoutMs: 120_000,
      rateLimit: { enabled: true, max: 1_200, timeWindowMs: 60_000, maxByRole: {} },
    });
    expect(server.tls).toBeUndefined();
    // Node checks deadlines every 30 s by default; ours are checked often enough to hold.
    expect(connectionsCheckingIntervalMs(server)).toBe(1_000);
    expect(
      connectionsCheckingIntervalMs({ ...server, headersTimeoutMs: 400, requestTimeoutMs: 800 }),
    ).toBe(100);
  });

  it("refuses unknown keys and out-of-range values in the new settings", () => {
    expect(() => config("server: { tls: { cert: a.pem } }")).toThrow(/server\.tls\.key/);
    expect(() => config("server: { rateLimit: { max: 0 } }")).toThrow(/server\.rateLimit\.max/);
    expect(() => config("server: { rateLimit: { maxByRole: { root: 5 } } }")).toThrow(/root/);
    expect(() => config("server: { headersTimeoutMs: 0 }")).toThrow(/headersTimeoutMs/);
  });
});

describe("isLoopbackHost", () => {
  it("knows loopback addresses from reachable ones", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "::1",
      "[::1]",
      "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      "0.0.0.0",
      "::",
      "10.0.0.5",
      "192.168.1.2",
      "driftwatch.internal",
      "::ffff:10.0.0.1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe("the start-up check", () => {
  it("refuses anonymous reads on a non-loopback address, naming server.host and server.allowAnonymous", () => {
    const message = startError("server: { host: 0.0.0.0 }");
    expect(message).toMatch(
      /^config error at server\.host: "0\.0\.0\.0" is not a loopback address/,
    );
    expect(message).toContain("server.allowAnonymous: true");
    expect(message).toContain("auth.tokens");
    expect(startError("server: { host: 10.1.2.3 }\nauth: { enabled: false, tokens: [] }")).toMatch(
      /server\.host/,
    );
  });

  it("accepts loopback, configured tokens, or an explicit allowAnonymous", () => {
    expect(startError("")).toBeUndefined();
    expect(startError("server: { host: localhost }")).toBeUndefined();
    expect(startError(`server: { host: 0.0.0.0 }\n${TOKENS}`)).toBeUndefined();
    expect(startError("server: { host: 0.0.0.0, allowAnonymous: true }")).toBeUndefined();
    // Without the API (ingest or monitor only) the listener serves public routes only.
    expect(startError("server: { host: 0.0.0.0 }", false)).toBeUndefined();
  });

  it("refuses anonymous reads that auth.enabled: false opens despite tokens", () => {
    expect(
      startError(
        `server: { host: 0.0.0.0 }\n${TOKENS.replace("auth:", "auth:\n  enabled: false")}`,
      ),
    ).toMatch(/auth\.enabled is false/);
  });

  it("refuses a headers deadline after the request deadline, and unreadable TLS files", () => {
    expect(startError("server: { headersTimeoutMs: 40000 }", false)).toMatch(
      /^config error at server\.headersTimeoutMs( \(line \d+, column \d+\))?: must not exceed server\.requestTimeoutMs \(30000\)/,
    );
    expect(startError("server: { headersTimeoutMs: 40000, requestTimeoutMs: 0 }")).toBeUndefined();
    expect(
      startError("server: { tls: { cert: /nonexistent/c.pem, key: /nonexistent/k.pem } }"),
    ).toMatch(
      /^config error at server\.tls\.cert: cannot read \/nonexistent\/c\.pem: file not found/,
    );
  });
});

describe("publicReadinessReason", () => {
  it("says a generic reason for ClickHouse and Kafka whatever their error text", () => {
    expect(publicReadinessReason("clickhouse", "connect ECONNREFUSED 10.0.0.7:8123")).toBe(
      "clickhouse unavailable",
    );
    expect(
      publicReadinessReason("kafka", "Kafka unreachable: broker-1.internal:9092,broker-2:9092"),
    ).toBe("kafka unavailable");
  });

  it("keeps plain reasons and drops the address-bearing detail after the summary", () => {
    expect(publicReadinessReason("roles", "not yet a member of the consumer group")).toBe(
      "not yet a member of the consumer group",
    );
    expect(
      publicReadinessReason(
        "roles",
        "evaluation failed: request to http://ch.prod.internal:8123/ failed; writes are failing; consumption paused",
      ),
    ).toBe("evaluation failed; writes are failing; consumption paused");
    expect(publicReadinessReason("roles", "ECONNREFUSED 10.0.0.7:8123")).toBe("not ready");
    expect(publicReadinessReason("roles", "/var/run/x.sock: gone")).toBe("not ready");
    expect(publicReadinessReason("roles", "no answer within 2000 ms")).toBe(
      "no answer within 2000 ms",
    );
  });
});
