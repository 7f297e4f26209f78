// Config section `auth`: the HTTP API's bearer tokens and their roles (read < write < admin).
// Token values are secrets: write them as `${ENV_VAR}` in the YAML file, never inline.
import { Type, type Static } from "@sinclair/typebox";
import { type ConfigCheckIssue, SECTION, Secret, StringEnum } from "./kit.js";

export const API_ROLES = ["read", "write", "admin"] as const;
export type ApiRole = (typeof API_ROLES)[number];

/** Shortest token accepted: guessing one must be impractical. */
export const MIN_TOKEN_CHARS = 16;

export const AuthTokenSchema = Type.Object(
  {
    name: Type.String({
      pattern: "^[A-Za-z0-9_.@:-]{1,64}$",
      patternHint: "must be 1-64 letters, digits, _ . @ : -",
      description: "who holds the token; recorded in driftwatch.audit_log",
    }),
    token: Secret({
      minLength: MIN_TOKEN_CHARS,
      description: "the bearer token; write it as ${ENV_VAR} so it comes from the environment",
    }),
    role: StringEnum(API_ROLES, { description: "read: GETs; write: changes; admin: retrain" }),
  },
  { additionalProperties: false },
);

export const AuthSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        description:
          "require a token on every API request; default true when tokens are configured, " +
          "false otherwise (local mode: reads without a token, changes need one)",
      }),
    ),
    tokens: Type.Array(AuthTokenSchema, { default: [] }),
  },
  SECTION,
);

export type AuthConfig = Static<typeof AuthSchema>;
export type AuthToken = Static<typeof AuthTokenSchema>;

/** Whether requests without a token are refused (true) or read-only (false). */
export function authRequired(auth: AuthConfig): boolean {
  return auth.enabled ?? auth.tokens.length > 0;
}

/** Relations the schema cannot express: unique names and tokens, tokens present when enabled. */
export function checkAuthConfig(auth: AuthConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  if (auth.enabled === true && auth.tokens.length === 0) {
    issues.push({
      path: ["auth", "tokens"],
      message: "auth.enabled is true but no token is configured: nobody could use the API",
    });
  }
  const names = new Set<string>();
  const values = new Set<string>();
  auth.tokens.forEach((entry, index) => {
    if (names.has(entry.name)) {
      issues.push({ path: ["auth", "tokens", index, "name"], message: "duplicate token name" });
    }
    if (values.has(entry.token)) {
      issues.push({
        path: ["auth", "tokens", index, "token"],
        message: "the same token value is configured twice",
      });
    }
    names.add(entry.name);
    values.add(entry.token);
  });
  return issues;
}
