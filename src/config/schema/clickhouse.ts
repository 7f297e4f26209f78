// Config section `clickhouse`: where the store lives and how to reach it (auth, TLS, timeouts).
import { Type, type Static } from "@sinclair/typebox";
import { PositiveInteger, SECTION, Secret } from "./kit.js";

export const ClickHouseTlsSchema = Type.Object(
  {
    ca: Type.Optional(Type.String({ minLength: 1, description: "CA certificate file (PEM)" })),
    rejectUnauthorized: Type.Boolean({
      default: true,
      description: "refuse servers whose certificate does not verify",
    }),
  },
  SECTION,
);

export const ClickHouseSchema = Type.Object(
  {
    url: Type.String({
      pattern: "^https?://[^\\s/]+(/\\S*)?$",
      patternHint: "must be an http:// or https:// URL",
      default: "http://localhost:8123",
      description: "HTTP(S) interface of the server",
    }),
    database: Type.String({
      pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$",
      patternHint: "must be a ClickHouse identifier (a letter or _, then letters, digits, _)",
      default: "driftwatch",
    }),
    cluster: Type.Optional(
      Type.String({
        pattern: "^[A-Za-z_][A-Za-z0-9_]{0,127}$",
        patternHint: "must be a ClickHouse identifier (a letter or _, then letters, digits, _)",
        description:
          "cluster name in the servers' remote_servers: tables are Replicated <name>_local ON CLUSTER with Distributed tables under the fixed names (docs/storage.md)",
      }),
    ),
    username: Type.String({ minLength: 1, default: "default" }),
    password: Type.Optional(Secret()),
    tls: ClickHouseTlsSchema,
    requestTimeoutMs: PositiveInteger(60_000),
  },
  SECTION,
);

export type ClickHouseConfig = Static<typeof ClickHouseSchema>;
