// Warnings at config load (logged, start-up goes on): secrets written inline instead of ${VAR}
// references, and webhook / Slack / retrain URLs over plain http:// (or SMTP without TLS) to a
// host that is not loopback. A warning names the path and line, never the secret itself.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../../src/config/index.js";

const dir = mkdtempSync(join(tmpdir(), "dw-warnings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Logged {
  readonly level: number;
  readonly msg: string;
  readonly path: string;
  readonly kind: string;
  readonly line?: number;
}

/** A real pino logger writing JSON lines into an array. */
function capture(): { logger: pino.Logger; lines: Logged[]; raw: () => string } {
  let raw = "";
  const lines: Logged[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString("utf8");
      for (const line of chunk.toString("utf8").split("\n"))
        if (line.trim() !== "") lines.push(JSON.parse(line) as Logged);
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines, raw: () => raw };
}

const SECRETS = {
  slackToken: "xoxb-inline-1111-secret",
  smtpPassword: "smtp-inline-pass-2222",
  webhookSecret: "hmac-inline-3333",
  airflowPassword: "airflow-inline-4444",
  bearer: "Bearer inline-5555",
  slackWebhook: "http://hooks.example.com/services/T0/B0/inline6666",
};

const INLINE = `alerts:
  route: { receivers: [team] }
  receivers:
    - name: team
      slack: { token: "${SECRETS.slackToken}", channel: "#ml" }
      email: { to: [oncall@example.com], from: dw@example.com }
      webhook:
        url: http://hooks.example.com/driftwatch
        secret: ${SECRETS.webhookSecret}
        headers: { Authorization: "${SECRETS.bearer}", X-Team: ml }
    - name: hook
      slack: { webhookUrl: "${SECRETS.slackWebhook}" }
  smtp:
    host: smtp.example.com
    requireTLS: false
    username: dw
    password: ${SECRETS.smtpPassword}
  retrain:
    actions:
      - name: airflow
        airflow: { url: "http://airflow.internal:8080", dagId: retrain, username: dw, password: "${SECRETS.airflowPassword}" }
`;

describe("warnings at config load", () => {
  it("inline secrets and plain http to remote hosts are logged, without the secrets, and the config loads", () => {
    const { logger, lines, raw } = capture();
    const config = parseConfig(INLINE, { env: {}, logger });
    expect(config.alerts.receivers).toHaveLength(2);
    expect(lines.every((line) => line.level === 40)).toBe(true); // warn
    const byPath = Object.fromEntries(lines.map((line) => [`${line.kind} ${line.path}`, line]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        "inline_secret alerts.receivers[0].slack.token",
        "inline_secret alerts.receivers[0].webhook.secret",
        "inline_secret alerts.receivers[0].webhook.headers.Authorization",
        "inline_secret alerts.receivers[1].slack.webhookUrl",
        "inline_secret alerts.smtp.password",
        "inline_secret alerts.retrain.actions[0].airflow.password",
        "plain_http alerts.receivers[0].webhook.url",
        "plain_http alerts.receivers[1].slack.webhookUrl",
        "plain_http alerts.retrain.actions[0].airflow.url",
        "smtp_without_tls alerts.smtp.requireTLS",
      ].sort(),
    );
    expect(byPath["inline_secret alerts.receivers[0].slack.token"]!.msg).toBe(
      'config warning at alerts.receivers[0].slack.token (line 5, column 23): is a secret written inline in the config file; reference an environment variable instead, e.g. "${SLACK_TOKEN}"',
    );
    expect(byPath["plain_http alerts.receivers[0].webhook.url"]!.msg).toMatch(
      /line 8.*: uses plain http:\/\/ to a non-loopback host: .*use https:\/\//,
    );
    expect(byPath["smtp_without_tls alerts.smtp.requireTLS"]!.msg).toMatch(
      /is false for a non-loopback SMTP host: mail and the SMTP password may be sent unencrypted/,
    );
    for (const secret of Object.values(SECRETS)) expect(raw()).not.toContain(secret);
    expect(raw()).not.toMatch(/inline-?\d{4}|hooks\.example\.com|airflow\.internal/);
  });

  it("${VAR} references, loopback http and plain headers give no warning", () => {
    const { logger, lines } = capture();
    const env = {
      SLACK_BOT_TOKEN: "xoxb-from-env",
      DW_WEBHOOK_SECRET: "from-env",
      SMTP_PASSWORD: "from-env",
      HOOK_TOKEN: "from-env",
      SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/x",
    };
    parseConfig(
      `alerts:
  slackApiUrl: http://127.0.0.1:9999/api/
  receivers:
    - name: team
      slack: { token: "\${SLACK_BOT_TOKEN}", channel: "#ml" }
      webhook:
        url: http://localhost:8080/hook
        secret: "\${DW_WEBHOOK_SECRET}"
        headers: { Authorization: "Bearer \${HOOK_TOKEN}", X-Team: ml }
    - name: v6
      webhook: { url: "http://[::1]:8080/hook" }
    - name: tls
      webhook: { url: "https://hooks.example.com/x" }
    - name: slack-hook
      slack: { webhookUrl: "\${SLACK_WEBHOOK_URL}" }
  smtp: { host: 127.0.0.1, requireTLS: false, username: dw, password: "\${SMTP_PASSWORD}" }
  retrain:
    actions:
      - name: generic
        secret: &shared "\${DW_WEBHOOK_SECRET}"
        generic: { url: "http://127.0.0.1:7000/retrain" }
      - name: second
        secret: *shared
        github: { repository: acme/models, token: "\${HOOK_TOKEN}" }
`,
      { env, logger },
    );
    expect(lines).toEqual([]);
  });

  it("SMTP to a remote host is quiet under the new default (requireTLS true)", () => {
    const { logger, lines } = capture();
    parseConfig("alerts:\n  smtp: { host: smtp.example.com, username: dw, password: '${P}' }\n", {
      env: { P: "x" },
      logger,
    });
    expect(lines).toEqual([]);
  });

  it("loadConfig logs them too, with the file", () => {
    const path = join(dir, "driftwatch.yaml");
    writeFileSync(path, INLINE);
    const { logger, lines } = capture();
    const config = loadConfig({ path, env: {}, logger });
    expect(config.alerts.smtp?.host).toBe("smtp.example.com");
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatchObject({ file: path });
  });

  it("without a logger, parseConfig loads the same file (warnings only go to a logger)", () => {
    expect(() => parseConfig(INLINE, { env: {} })).not.toThrow();
  });
});
