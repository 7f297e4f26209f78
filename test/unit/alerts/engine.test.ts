// The engine's decisions, driven with explicit times and no timers: grouping (twenty drifting
// features make one message), group_wait / group_interval / repeat_interval, resolve sent once,
// flapping, silences, inhibition, retrain triggering with cooldown.
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import type { RetrainRequest } from "../../../alerts/model/retrain-request.js";
import type { DeliveryResult, Integration, SendContext } from "../../../alerts/notifiers/types.js";
import { SilenceSet } from "../../../alerts/silences/silence.js";
import { buildSilence } from "../../../alerts/store/silence-store.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import { RecordingIntegration } from "./recording-integration.js";
import { MINUTE, T0 } from "../../support/clock.js";
import { alertsConfig } from "../../support/config.js";
import { batch, psi } from "./helpers.js";

const SECOND = 1000;

function setup(section: Record<string, unknown>, receivers = ["team"]) {
  const config = alertsConfig({
    route: { receivers, groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" },
    receivers: receivers.map((name) => ({ name, webhook: { url: "http://127.0.0.1:1/unused" } })),
    ...section,
  });
  const clock = new ManualClock(T0);
  const integrations = new Map(receivers.map((name) => [name, new RecordingIntegration(name)]));
  const engine = new AlertEngine({
    config,
    clock,
    receivers: new Map([...integrations].map(([name, integration]) => [name, [integration]])),
    random: () => 0.5,
  });
  /** Move to `at`, run due flushes and wait for them. */
  const at = async (time: number) => {
    clock.set(time);
    engine.tick(time);
    await engine.whenIdle();
  };
  return { engine, clock, integration: integrations.get(receivers[0]!)!, integrations, at };
}

const driftRule = { name: "feature-drift", result: "drift", metric: "psi", threshold: 0.2 };

describe("alert engine: grouping and notifications", () => {
  it("twenty drifting features make one message, sent after group_wait", async () => {
    const { engine, integration, at } = setup({ rules: [driftRule] });
    await engine.start({ loop: false });
    const features = Array.from({ length: 20 }, (_, index) => `f${index}`);
    const result = engine.processBatch(
      batch(
        "credit",
        0,
        features.map((feature) => psi(feature, 0.5)),
      ),
      T0,
    );
    expect(result.transitions.filter((item) => item.transition === "firing")).toHaveLength(20);
    await at(T0 + 29 * SECOND);
    expect(integration.sent).toHaveLength(0);
    await at(T0 + 30 * SECOND);
    expect(integration.sent).toHaveLength(1);
    expect(integration.sent[0]!.firing.map((alert) => alert.labels.feature).sort()).toEqual(
      [...features].sort(),
    );
    expect(integration.sent[0]!.groupLabels).toEqual({
      alertname: "feature-drift",
      model: "credit",
    });
    await engine.stop();
  });

  it("notifies changes at most once per group_interval and sends each resolve once", async () => {
    const { engine, integration, at } = setup({ rules: [driftRule] });
    await engine.start({ loop: false });
    engine.processBatch(batch("credit", 0, [psi("a", 0.5)]), T0);
    await at(T0 + 30 * SECOND);
    // b fires 1 minute later: not before the group interval (5m after the first flush).
    engine.processBatch(batch("credit", 1, [psi("a", 0.5), psi("b", 0.5)]), T0 + MINUTE);
    await at(T0 + 5 * MINUTE);
    expect(integration.summary()).toEqual(["F:a"]);
    await at(T0 + 5 * MINUTE + 30 * SECOND);
    expect(integration.summary()).toEqual(["F:a", "F:a,b"]);
    // a resolves.
    engine.processBatch(batch("credit", 2, [psi("a", 0.01), psi("b", 0.5)]), T0 + 6 * MINUTE);
    await at(T0 + 10 * MINUTE + 30 * SECOND);
    expect(integration.summary()).toEqual(["F:a", "F:a,b", "F:b|R:a"]);
    // Nothing changes: no message at the next intervals, and the resolve is never repeated.
    engine.processBatch(batch("credit", 3, [psi("a", 0.01), psi("b", 0.5)]), T0 + 11 * MINUTE);
    await at(T0 + 15 * MINUTE + 30 * SECOND);
    await at(T0 + 20 * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(3);
    // b resolves: one resolve message, in the episode's thread.
    engine.processBatch(batch("credit", 4, [psi("a", 0.01), psi("b", 0.01)]), T0 + 21 * MINUTE);
    await at(T0 + 25 * MINUTE + 30 * SECOND);
    await at(T0 + 30 * MINUTE + 30 * SECOND);
    expect(integration.summary()).toEqual(["F:a", "F:a,b", "F:b|R:a", "R:b"]);
    expect(integration.sent[3]!.threadRef).toBe("ref-1");
    expect(engine.listAlerts()).toEqual([]);
    await engine.stop();
  });

  it("repeats unchanged firing content after repeat_interval, with a new idempotency key", async () => {
    const { engine, integration, at } = setup({ rules: [driftRule] });
    await engine.start({ loop: false });
    engine.processBatch(batch("credit", 0, [psi("a", 0.5)]), T0);
    await at(T0 + 30 * SECOND);
    for (let minute = 5; minute <= 235; minute += 5) await at(T0 + minute * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(1);
    await at(T0 + 240 * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(2);
    expect(integration.sent[1]!.repeat).toBe(true);
    expect(integration.sent[1]!.id).not.toBe(integration.sent[0]!.id);
    await engine.stop();
  });

  it("flapping does not spam: keepFiringFor holds it, and without it changes wait for the group interval", async () => {
    const held = setup({ rules: [{ ...driftRule, keepFiringFor: 2 }] });
    await held.engine.start({ loop: false });
    const flapping = setup({ rules: [driftRule] });
    await flapping.engine.start({ loop: false });
    for (let minute = 0; minute < 30; minute++) {
      const value = minute % 2 === 0 ? 0.5 : 0.01;
      for (const { engine, at } of [held, flapping]) {
        engine.processBatch(batch("credit", minute, [psi("a", value)]), T0 + minute * MINUTE);
        await at(T0 + minute * MINUTE + 30 * SECOND);
      }
    }
    expect(held.integration.summary()).toEqual(["F:a"]);
    // 30 transitions in 30 minutes; at most one message per 5-minute interval.
    const times = flapping.integration.sent.map((sent) => sent.createdAt - T0);
    expect(times).toEqual([0, 5, 10, 15, 20, 25].map((minute) => minute * MINUTE + 30 * SECOND));
    await held.engine.stop();
    await flapping.engine.stop();
  });

  it("a pending alert that clears never notifies", async () => {
    const { engine, integration, at } = setup({ rules: [{ ...driftRule, for: 3 }] });
    await engine.start({ loop: false });
    engine.processBatch(batch("credit", 0, [psi("a", 0.5)]), T0);
    engine.processBatch(batch("credit", 1, [psi("a", 0.5)]), T0 + 5 * MINUTE);
    engine.processBatch(batch("credit", 2, [psi("a", 0.01)]), T0 + 10 * MINUTE);
    await at(T0 + 60 * MINUTE);
    expect(integration.sent).toHaveLength(0);
    expect(engine.listAlerts()).toEqual([]);
    await engine.stop();
  });

  it("a silence suppresses matching alerts, and they are notified once it ends", async () => {
    const { engine, integration, at } = setup({ rules: [driftRule] });
    await engine.start({ loop: false });
    const silence = buildSilence(
      {
        matchers: ['feature=~"inc.*"'],
        endsAt: T0 + 20 * MINUTE,
        createdBy: "ops",
        comment: "known shift",
      },
      T0,
      { defaultDurationMs: 2 * 3_600_000, maxDurationMs: 86_400_000 },
    );
    engine.setSilences(new SilenceSet([silence]));
    engine.processBatch(batch("credit", 0, [psi("income", 0.5), psi("age", 0.5)]), T0);
    await at(T0 + 30 * SECOND);
    expect(integration.summary()).toEqual(["F:age"]);
    engine.processBatch(batch("credit", 1, [psi("income", 0.5), psi("age", 0.5)]), T0 + 5 * MINUTE);
    await at(T0 + 5 * MINUTE + 30 * SECOND);
    await at(T0 + 10 * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(1);
    await at(T0 + 20 * MINUTE + 30 * SECOND);
    expect(integration.summary()).toEqual(["F:age", "F:age,income"]);
    await engine.stop();
  });

  it("a firing model-level alert inhibits the feature-level alerts of the same model", async () => {
    const { engine, integration, at } = setup({
      rules: [
        driftRule,
        { name: "dataset-drift", result: "drift_share", threshold: 0.5, severity: "critical" },
      ],
      route: { receivers: ["team"], groupBy: ["model"], groupWait: "30s", groupInterval: "5m" },
    });
    await engine.start({ loop: false });
    const features = ["a", "b", "c", "d"].map((feature) => psi(feature, 0.5));
    engine.processBatch(
      batch("credit", 0, [...features, { kind: "drift_share", metric: "drift_share", value: 1 }]),
      T0,
    );
    engine.processBatch(batch("fraud", 0, [psi("x", 0.5)]), T0);
    await at(T0 + 30 * SECOND);
    const byModel = Object.fromEntries(
      integration.sent.map((sent) => [sent.groupLabels.model, sent]),
    );
    expect(byModel.credit!.firing.map((alert) => alert.labels.alertname)).toEqual([
      "dataset-drift",
    ]);
    // The model-level alert names the drifted features.
    expect(byModel.credit!.firing[0]!.features).toEqual(["a", "b", "c", "d"]);
    expect(byModel.fraud!.firing.map((alert) => alert.labels.feature)).toEqual(["x"]);
    // The model-level alert resolves: the feature alerts are no longer muted.
    engine.processBatch(
      batch("credit", 1, [
        ...features,
        { kind: "drift_share", metric: "drift_share", value: 0.25 },
      ]),
      T0 + 5 * MINUTE,
    );
    await at(T0 + 5 * MINUTE + 30 * SECOND);
    const last = integration.sent[integration.sent.length - 1]!;
    expect(last.resolved.map((alert) => alert.labels.alertname)).toEqual(["dataset-drift"]);
    expect(last.firing.map((alert) => alert.labels.feature)).toEqual(["a", "b", "c", "d"]);
    await engine.stop();
  });

  it("a failed flush is retried at the next group interval with the same idempotency key", async () => {
    const config = { rules: [driftRule], delivery: { maxAttempts: 1 } };
    const { engine, integration, at } = setup(config);
    await engine.start({ loop: false });
    integration.script = [
      { ok: false, retryable: false, reason: "client_error", error: "HTTP 400" },
    ];
    engine.processBatch(batch("credit", 0, [psi("a", 0.5)]), T0);
    await at(T0 + 30 * SECOND);
    await at(T0 + 5 * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(2);
    expect(integration.sent[1]!.id).toBe(integration.sent[0]!.id);
    await at(T0 + 10 * MINUTE + 30 * SECOND);
    expect(integration.sent).toHaveLength(2);
    await engine.stop();
  });

  it("requests one retrain per model and episode, then respects the cooldown", async () => {
    const requests: RetrainRequest[] = [];
    const action: Integration<RetrainRequest> = {
      kind: "webhook",
      owner: "retrain",
      sendResolved: false,
      send: async (request: RetrainRequest, _context: SendContext): Promise<DeliveryResult> => {
        requests.push(request);
        return { ok: true, responseCode: 204 };
      },
      close: async () => undefined,
    };
    const config = alertsConfig({
      rules: [{ ...driftRule, retrain: ["retrain"] }],
      retrain: {
        cooldown: "6h",
        actions: [
          { name: "retrain", secret: "x".repeat(16), generic: { url: "http://127.0.0.1:1/hook" } },
        ],
      },
    });
    const engine = new AlertEngine({
      config,
      clock: new ManualClock(T0),
      receivers: new Map(),
      retrainActions: new Map([["retrain", action]]),
    });
    await engine.start({ loop: false });
    engine.processBatch(
      batch(
        "credit",
        0,
        ["a", "b", "c"].map((feature) => psi(feature, 0.5)),
      ),
      T0,
    );
    await engine.whenIdle();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.model).toBe("credit");
    expect(requests[0]!.alerts.map((alert) => alert.labels.feature).sort()).toEqual([
      "a",
      "b",
      "c",
    ]);
    // Resolve and fire again within the cooldown: no second retrain.
    engine.processBatch(
      batch("credit", 1, [psi("a", 0.01), psi("b", 0.01), psi("c", 0.01)]),
      T0 + 5 * MINUTE,
    );
    engine.processBatch(batch("credit", 2, [psi("a", 0.5)]), T0 + 10 * MINUTE);
    await engine.whenIdle();
    expect(requests).toHaveLength(1);
    // After the cooldown a new episode retrains again.
    engine.processBatch(batch("credit", 3, [psi("a", 0.01)]), T0 + 6 * 60 * MINUTE);
    engine.processBatch(batch("credit", 4, [psi("a", 0.5)]), T0 + 6 * 60 * MINUTE + 5 * MINUTE);
    await engine.whenIdle();
    expect(requests).toHaveLength(2);
    await engine.stop();
  });

  it("refuses a malformed batch with the field and reason", () => {
    const { engine } = setup({ rules: [driftRule] });
    expect(() => engine.processBatch({ ...batch("credit", 0, []), model: "bad model" })).toThrow(
      /model: must match/,
    );
    expect(() =>
      engine.processBatch(batch("credit", 0, [{ kind: "nope" as never, metric: "psi", value: 1 }])),
    ).toThrow(/observations\[0\]\.kind: must be one of/);
  });

  it("counts attempts, failures by reason (every series from zero) and alerts by state", async () => {
    const registry = new Registry();
    const config = alertsConfig({
      route: { receivers: ["team"], groupWait: "0s" },
      receivers: [{ name: "team", webhook: { url: "http://127.0.0.1:1/unused" } }],
      rules: [driftRule],
      delivery: { maxAttempts: 1 },
    });
    const integration = new RecordingIntegration("team");
    integration.script = [
      { ok: false, retryable: false, reason: "client_error", error: "HTTP 400" },
    ];
    const engine = new AlertEngine({
      config,
      clock: new ManualClock(T0),
      receivers: new Map([["team", [integration]]]),
      registry,
    });
    await engine.start({ loop: false });
    engine.processBatch(batch("credit", 0, [psi("a", 0.5), psi("b", 0.5)]), T0);
    engine.tick(T0);
    await engine.whenIdle();
    const text = await registry.metrics();
    expect(text).toContain(
      'driftwatch_notification_failures_total{integration="webhook",reason="client_error"} 1',
    );
    expect(text).toContain(
      'driftwatch_notification_failures_total{integration="slack",reason="auth"} 0',
    );
    expect(text).toContain(
      'driftwatch_notification_attempts_total{integration="webhook",status="failed"} 1',
    );
    expect(text).toContain('driftwatch_alert_transitions_total{transition="firing"} 2');
    expect(text).toContain('driftwatch_alerts{state="firing"} 2');
    await engine.stop();
    // A new engine on the same registry (evaluator role regained) replaces the series.
    const again = new AlertEngine({
      config,
      clock: new ManualClock(T0),
      receivers: new Map([["team", [integration]]]),
      registry,
    });
    expect(await registry.metrics()).toContain(
      'driftwatch_alert_transitions_total{transition="firing"} 0',
    );
    await again.stop();
  });

  it("the background loop flushes due groups on the real clock", async () => {
    const config = alertsConfig({
      route: { receivers: ["team"], groupWait: "0s" },
      receivers: [{ name: "team", webhook: { url: "http://127.0.0.1:1/unused" } }],
      rules: [driftRule],
      engine: { tickInterval: "50ms" },
    });
    const integration = new RecordingIntegration("team");
    const engine = new AlertEngine({ config, receivers: new Map([["team", [integration]]]) });
    await engine.start();
    engine.processBatch(batch("credit", 0, [psi("a", 0.5)]), Date.now());
    for (let waited = 0; integration.sent.length === 0 && waited < 5_000; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(integration.summary()).toEqual(["F:a"]);
    await engine.stop();
  });
});
