// Token lookup, role order and the auth config section's checks.
import { describe, expect, it } from "vitest";
import { roleAllows } from "../../../src/api/auth/roles.js";
import { createTokenVerifier } from "../../../src/api/auth/token-verifier.js";
import { ConfigError, parseConfig } from "../../../src/config/index.js";
import { authRequired } from "../../../src/config/schema/auth.js";

const TOKENS = [
  { name: "dashboards", token: "read-token-0123456789", role: "read" as const },
  { name: "pipeline", token: "write-token-0123456789", role: "write" as const },
];

describe("token verifier", () => {
  it("finds the holder of an exact token and nobody for near misses", () => {
    const verifier = createTokenVerifier(TOKENS);
    expect(verifier.verify("write-token-0123456789")).toEqual({ name: "pipeline", role: "write" });
    expect(verifier.verify("read-token-0123456789")).toEqual({ name: "dashboards", role: "read" });
    for (const miss of [
      "",
      "write-token-012345678",
      "write-token-01234567890",
      "WRITE-token-0123456789",
    ]) {
      expect(verifier.verify(miss), miss).toBeUndefined();
    }
    expect(createTokenVerifier([]).verify("anything")).toBeUndefined();
  });
});

describe("roles", () => {
  it("orders read < write < admin", () => {
    expect(roleAllows("admin", "write")).toBe(true);
    expect(roleAllows("write", "write")).toBe(true);
    expect(roleAllows("write", "admin")).toBe(false);
    expect(roleAllows("read", "write")).toBe(false);
  });
});

describe("auth config section", () => {
  const env = { READ: "read-token-0123456789", WRITE: "write-token-0123456789", SHORT: "abc" };

  it("takes tokens from the environment and requires them once any is configured", () => {
    const config = parseConfig(
      'auth: { tokens: [ { name: ci, token: "${WRITE}", role: write } ] }',
      { env },
    );
    expect(config.auth.tokens[0]).toEqual({ name: "ci", token: env.WRITE, role: "write" });
    expect(authRequired(config.auth)).toBe(true);
    expect(authRequired(parseConfig("", { env }).auth)).toBe(false);
    expect(
      authRequired(
        parseConfig(
          'auth: { enabled: false, tokens: [ { name: ci, token: "${WRITE}", role: write } ] }',
          { env },
        ).auth,
      ),
    ).toBe(false);
  });

  const problems: [string, string][] = [
    ['auth: { tokens: [ { name: ci, token: "${SHORT}", role: write } ] }', "auth.tokens[0].token"],
    ['auth: { tokens: [ { name: ci, token: "${READ}", role: owner } ] }', "auth.tokens[0].role"],
    ['auth: { tokens: [ { name: "c i", token: "${READ}", role: read } ] }', "auth.tokens[0].name"],
    [
      'auth: { tokens: [ { name: a, token: "${READ}", role: read }, { name: a, token: "${WRITE}", role: write } ] }',
      "auth.tokens[1].name",
    ],
    [
      'auth: { tokens: [ { name: a, token: "${READ}", role: read }, { name: b, token: "${READ}", role: write } ] }',
      "auth.tokens[1].token",
    ],
    ["auth: { enabled: true }", "auth.tokens"],
    ['auth: { tokens: [ { name: ci, token: "${MISSING}", role: read } ] }', "auth.tokens[0].token"],
  ];

  it.each(problems)("refuses %s naming %s", (yaml, path) => {
    let error: unknown;
    try {
      parseConfig(yaml, { env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).not.toContain(env.READ);
  });
});
