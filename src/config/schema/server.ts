// Config section `server`: the HTTP listener (API, /metrics, health): address, TLS, timeouts that
// close slow clients, per-token rate limits, and the start-up check that refuses to expose
// anonymous reads on a non-loopback address.
import { BlockList, isIP } from "node:net";
import { Type, type Static } from "@sinclair/typebox";
import { authRequired, type AuthConfig } from "./auth.js";
import { type ConfigCheckIssue, Count, PositiveInteger, SECTION } from "./kit.js";

const Milliseconds = (defaultValue: number, description: string) =>
  Count(defaultValue, { maximum: 3_600_000, description });

export const ServerRateLimitSchema = Type.Object(
  {
    enabled: Type.Boolean({
      default: true,
      description: "limit API requests per token (per client IP without a token)",
    }),
    max: PositiveInteger(1_200, {
      description: "requests per timeWindowMs per token, or per client IP without a valid token",
    }),
    timeWindowMs: PositiveInteger(60_000, {
      maximum: 86_400_000,
      description: "the window the counts are kept for",
    }),
    maxByRole: Type.Object(
      {
        read: Type.Optional(Type.Integer({ minimum: 1 })),
        write: Type.Optional(Type.Integer({ minimum: 1 })),
        admin: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { ...SECTION, description: "a token role's own `max` (default: max)" },
    ),
  },
  SECTION,
);

export const ServerTlsSchema = Type.Object(
  {
    cert: Type.String({ minLength: 1, description: "PEM certificate (chain) file" }),
    key: Type.String({ minLength: 1, description: "PEM private key file" }),
  },
  { additionalProperties: false, description: "serve HTTPS with this certificate and key" },
);

export const ServerSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8080 }),
    host: Type.String({
      minLength: 1,
      default: "127.0.0.1",
      description: "listen address; 0.0.0.0 (all interfaces) needs auth tokens or allowAnonymous",
    }),
    allowAnonymous: Type.Boolean({
      default: false,
      description:
        "accept anonymous API reads (no auth tokens, or auth.enabled false) on a non-loopback server.host",
    }),
    bodyLimitBytes: PositiveInteger(1_048_576),
    headersTimeoutMs: PositiveInteger(10_000, {
      maximum: 3_600_000,
      description: "a client must send the request headers within this time (408, then closed)",
    }),
    requestTimeoutMs: Milliseconds(
      30_000,
      "a client must send the whole request (headers and body) within this time; 0: no limit",
    ),
    keepAliveTimeoutMs: PositiveInteger(5_000, {
      maximum: 3_600_000,
      description:
        "an idle keep-alive connection is closed after this time (raise it above a load balancer's idle timeout)",
    }),
    connectionTimeoutMs: Milliseconds(
      120_000,
      "a connection without any traffic for this long is closed; 0: never",
    ),
    tls: Type.Optional(ServerTlsSchema),
    rateLimit: ServerRateLimitSchema,
  },
  SECTION,
);

export type ServerConfig = Static<typeof ServerSchema>;
export type ServerTlsConfig = Static<typeof ServerTlsSchema>;
export type ServerRateLimitConfig = Static<typeof ServerRateLimitSchema>;

/** Relations the schema cannot express (Node refuses headersTimeout > requestTimeout). */
export function checkServerConfig(server: ServerConfig): ConfigCheckIssue[] {
  if (server.requestTimeoutMs > 0 && server.headersTimeoutMs > server.requestTimeoutMs) {
    return [
      {
        path: ["server", "headersTimeoutMs"],
        message: `must not exceed server.requestTimeoutMs (${server.requestTimeoutMs})`,
      },
    ];
  }
  return [];
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Whether `host` only accepts connections from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  const version = isIP(name);
  return version !== 0 && LOOPBACK.check(name, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The API listener's exposure check, run when the api role starts: without required tokens the
 * API answers reads anonymously, which is refused on an address others can reach unless
 * `server.allowAnonymous` says it is meant.
 */
export function checkServerExposure(server: ServerConfig, auth: AuthConfig): ConfigCheckIssue[] {
  if (authRequired(auth) || server.allowAnonymous || isLoopbackHost(server.host)) return [];
  const why = auth.tokens.length === 0 ? "no API token is configured" : "auth.enabled is false";
  return [
    {
      path: ["server", "host"],
      message:
        `${JSON.stringify(server.host)} is not a loopback address and ${why}, so anyone who can ` +
        "reach the port could read models, results and alerts without a token: configure " +
        "auth.tokens, bind server.host: 127.0.0.1, or set server.allowAnonymous: true to accept " +
        "anonymous reads",
    },
  ];
}
