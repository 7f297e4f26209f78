// The alerts config section: defaults, durations, cross-references and secrets, through the real
// loader so errors carry the YAML path and line that stop start-up.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, redactConfig } from "../../../src/config/index.js";
import { compileRules } from "../../../alerts/engine/compiled-rule.js";

const env = { SLACK_BOT_TOKEN: "xoxb-secret-token-123", HOOK_SECRET: "s3cret-signing-key" };

function configError(text: string): ConfigError {
  try {
    parseConfig(text, { env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const VALID = `
alerts:
  slackApiUrl: http://127.0.0.1:9999/api/
  grafanaUrl: http://grafana:3000
  route:
    receivers: [ml-team]
    groupWait: 10s
  receivers:
    - name: ml-team
      slack:
        token: \${SLACK_BOT_TOKEN}
        channel: "#ml-alerts"
  rules:
    - name: feature-drift
      models: ["credit-*"]
      result: drift
      metric: psi
      op: ">="
      threshold: 0.2
      for: 2
      annotations:
        summary: "PSI of {{feature}} is {{value}}"
        runbookUrl: https://runbooks.example.com/drift
      retrain: [retrain-gh]
    - name: accuracy-decay
      result: performance_decay
      metric: accuracy
      threshold: 0.05
      severity: critical
      receivers: [ml-team]
      group: { groupWait: 0s }
  retrain:
    cooldown: 12h
    actions:
      - name: retrain-gh
        secret: \${HOOK_SECRET}
        github:
          repository: acme/models
          token: \${SLACK_BOT_TOKEN}
`;

describe("alerts config", () => {
  it("accepts a valid section and fills every default", () => {
    const config = parseConfig(VALID, { env });
    const alerts = config.alerts;
    expect(alerts.enabled).toBe(true);
    expect(alerts.receivers[0]!.slack!.token).toBe(env.SLACK_BOT_TOKEN);
    expect(alerts.rules[0]!.features).toEqual(["*"]);
    expect(alerts.rules[1]!.op).toBe(">");
    expect(alerts.inhibitRules).toHaveLength(1);
    expect(alerts.retrain.actions[0]!.github!.url).toBe("https://api.github.com");
    const [drift, decay] = compileRules(alerts);
    expect(drift!.group).toEqual({
      groupBy: ["alertname", "model"],
      groupWaitMs: 10_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
    });
    expect(decay!.group.groupWaitMs).toBe(0);
    expect(drift!.receivers).toEqual(["ml-team"]);
    expect(drift!.matchesModel("credit-risk")).toBe(true);
    expect(drift!.matchesModel("fraud")).toBe(false);
    // Feature names are free text: "*" spans "/".
    expect(drift!.matchesFeature("od280/od315_of_diluted_wines")).toBe(true);
  });

  it("is all defaults when the section is absent", () => {
    const config = parseConfig("", { env: {} });
    expect(config.alerts.rules).toEqual([]);
    expect(config.alerts.route.groupBy).toEqual(["alertname", "model"]);
  });

  it("stops on a rule naming an unknown receiver, with the YAML path and line", () => {
    const error = configError(
      VALID.replace("receivers: [ml-team]\n      group", "receivers: [ml-tema]\n      group"),
    );
    expect(error.issues).toHaveLength(1);
    const issue = error.issues[0]!;
    expect(issue.path).toEqual(["alerts", "rules", 1, "receivers", 0]);
    expect(issue.message).toContain('unknown receiver "ml-tema"');
    expect(issue.message).toContain('"ml-team"');
    expect(issue.line).toBe(
      VALID.split("\n").findIndex(
        (line) => line.includes("receivers: [ml-team]") && line.startsWith("      "),
      ) + 1,
    );
    expect(error.message).toContain("config error at alerts.rules[1].receivers[0]");
  });

  it("stops on an unknown retrain action and on an unknown key in a rule", () => {
    const error = configError(
      VALID.replace("retrain: [retrain-gh]", "retrain: [retrain-x]").replace(
        "for: 2",
        "for: 2\n      fro: 3",
      ),
    );
    const paths = error.issues.map((issue) => issue.path.join("."));
    // Schema errors come first: the unknown key is reported, with a suggestion.
    expect(paths).toEqual(["alerts.rules.0.fro"]);
    expect(error.issues[0]!.message).toContain('did you mean "for"');
    const second = configError(VALID.replace("retrain: [retrain-gh]", "retrain: [retrain-x]"));
    expect(second.issues.map((issue) => issue.path.join("."))).toEqual([
      "alerts.rules.0.retrain.0",
    ]);
  });

  it("requires a threshold except for results that carry the detector's own", () => {
    const error = configError(VALID.replace("      threshold: 0.05\n", ""));
    expect(error.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      [
        "alerts.rules.1.threshold",
        'is required for result "performance_decay" (only drift, drift_share and performance_estimated results carry the detector\'s own threshold)',
      ],
    ]);
    // drift without a threshold uses the detector's verdict: accepted.
    expect(() => parseConfig(VALID.replace("      threshold: 0.2\n", ""), { env })).not.toThrow();
  });

  it("names bad durations, comparisons, severities and reserved labels", () => {
    const error = configError(
      VALID.replace("groupWait: 10s", "groupWait: 10 seconds")
        .replace('op: ">="', 'op: "=>"')
        .replace("severity: critical", "severity: page\n      labels: { model: x }"),
    );
    const byPath = Object.fromEntries(
      error.issues.map((issue) => [issue.path.join("."), issue.message]),
    );
    expect(byPath["alerts.route.groupWait"]).toMatch(/must be a duration such as "30s"/);
    expect(byPath["alerts.rules.0.op"]).toMatch(/must be one of >, >=, <, <=, ==, !=/);
    expect(byPath["alerts.rules.1.severity"]).toMatch(/must be one of critical, warning, info/);
    const reserved = configError(
      VALID.replace("severity: critical", "severity: critical\n      labels: { model: x }"),
    );
    expect(reserved.issues[0]!.path).toEqual(["alerts", "rules", 1, "labels", "model"]);
    expect(reserved.issues[0]!.message).toContain("reserved");
  });

  it("checks receivers, retrain presets and inhibition matchers", () => {
    const error = configError(`
alerts:
  receivers:
    - name: a
      slack: { channel: "#x" }
    - name: b
    - name: c
      email: { to: [ops@example.com], from: dw@example.com }
  inhibitRules:
    - sourceMatchers: ['scope=~"("']
      targetMatchers: ['scope="feature"']
  retrain:
    actions:
      - name: two
        github: { repository: a/b, token: t }
        generic: { url: "http://x/hook" }
      - name: nosecret
        generic: { url: "http://x/hook" }
`);
    const byPath = Object.fromEntries(
      error.issues.map((issue) => [issue.path.join("."), issue.message]),
    );
    expect(byPath["alerts.receivers.0.slack.token"]).toContain(
      "slack needs token + channel, or webhookUrl",
    );
    expect(byPath["alerts.receivers.1"]).toBe("needs at least one of slack, email, webhook");
    expect(byPath["alerts.receivers.2.email.smtp"]).toBe("is required when alerts.smtp is not set");
    expect(byPath["alerts.inhibitRules.0.sourceMatchers.0"]).toContain("invalid regex");
    expect(byPath["alerts.retrain.actions.0"]).toContain("give exactly one of");
    expect(byPath["alerts.retrain.actions.1.secret"]).toContain("required for a generic webhook");
  });

  it("takes secrets from the environment and redacts them", () => {
    const config = parseConfig(VALID, { env });
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain(env.SLACK_BOT_TOKEN);
    expect(shown).not.toContain(env.HOOK_SECRET);
    expect(shown).toContain("[redacted]");
    expect(() => parseConfig(VALID, { env: {} })).toThrow(
      /environment variable SLACK_BOT_TOKEN is not set/,
    );
  });
});
