// The API tokens of the tests' configs: one per role, the environment variables their config
// reads them from, the `auth:` section naming them, and the header that presents one.

export const TOKENS = {
  reader: "read-token-0123456789abcdef",
  writer: "write-token-0123456789abcdef",
  admin: "admin-token-0123456789abcdef",
} as const;

export const TOKEN_ENV = {
  DW_TEST_READ_TOKEN: TOKENS.reader,
  DW_TEST_WRITE_TOKEN: TOKENS.writer,
  DW_TEST_ADMIN_TOKEN: TOKENS.admin,
};

export const AUTH_YAML = `auth:
  tokens:
    - { name: dashboards, token: "\${DW_TEST_READ_TOKEN}", role: read }
    - { name: pipeline, token: "\${DW_TEST_WRITE_TOKEN}", role: write }
    - { name: ops-admin, token: "\${DW_TEST_ADMIN_TOKEN}", role: admin }
`;

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
