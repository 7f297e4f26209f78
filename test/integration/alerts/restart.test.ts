// Restarts against the real ClickHouse: state persisted and reloaded so a restart neither re-fires
// nor loses a resolve, and a restart in the middle of retries delivers the notification exactly
// once as the receiver sees it (same Idempotency-Key), with every attempt in the delivery log.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../../src/store/index.js";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import type { AlertsConfig } from "../../../src/config/schema/alerts/schema.js";
import { DeliveryLogStore } from "../../../alerts/store/delivery-log-store.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import { alertsConfig } from "../../support/config.js";
import { HttpReceiver, type RecordedRequest } from "../../support/peers.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";
import { runUntil } from "./drive.js";
import { T0 } from "../../support/clock.js";

const MINUTE = 60_000;

let sqlEngine: SqlEngine;
let database: string;
let receiver: HttpReceiver;

beforeAll(async () => {
  sqlEngine = serverEngine();
});
afterAll(async () => {
  await sqlEngine.close();
});
beforeEach(async (context) => {
  database = uniqueDatabase("alerts_restart");
  await applyMigrations(sqlEngine, database);
  receiver = new HttpReceiver();
  await receiver.start();
  context.onTestFinished(async () => {
    await receiver.stop();
    await dropDatabase(sqlEngine, database);
  });
});

function config(): AlertsConfig {
  return alertsConfig({
    route: { receivers: ["hooks"], groupWait: "30s", groupInterval: "1m" },
    receivers: [
      { name: "hooks", webhook: { url: `${receiver.url}/alerts`, secret: "restart-secret-1" } },
    ],
    rules: [{ name: "feature-drift", result: "drift", metric: "psi", threshold: 0.2 }],
    delivery: { maxAttempts: 6, initialBackoff: "10s", maxBackoff: "1m" },
  });
}

function engineAt(clock: ManualClock): AlertEngine {
  return new AlertEngine({
    config: config(),
    clock,
    store: { engine: sqlEngine, database },
    random: () => 0.5,
  });
}

const drift = (index: number, values: Record<string, number>) => ({
  model: "credit",
  windowStart: T0 + index * 5 * MINUTE,
  windowEnd: T0 + (index + 1) * 5 * MINUTE,
  observations: Object.entries(values).map(([feature, value]) => ({
    kind: "drift" as const,
    metric: "psi",
    feature,
    value,
  })),
});

function payload(request: RecordedRequest): {
  status: string;
  alerts: { status: string; labels: { feature: string } }[];
} {
  return JSON.parse(request.body) as never;
}

describe("alert engine restarts (ClickHouse 18.16)", () => {
  it("neither re-fires what fired nor loses a resolve", async () => {
    const clock = new ManualClock(T0);
    const first = engineAt(clock);
    await first.start({ loop: false });
    first.processBatch(drift(0, { income: 0.5, age: 0.4 }), clock.now());
    await runUntil(first, clock, T0 + MINUTE);
    expect(receiver.requests.map((request) => payload(request).status)).toEqual(["firing"]);
    await first.stop();

    // Restart 1: the firing alerts are known to be notified: nothing is sent again.
    const second = engineAt(clock);
    await second.start({ loop: false });
    expect(
      second
        .listAlerts(["firing"])
        .map((alert) => alert.labels.feature)
        .sort(),
    ).toEqual(["age", "income"]);
    await runUntil(second, clock, T0 + 10 * MINUTE);
    expect(receiver.requests).toHaveLength(1);
    // income resolves; the process stops before the resolve is sent.
    second.processBatch(drift(1, { income: 0.01, age: 0.4 }), clock.now());
    await second.stop();

    // Restart 2: the resolve is not lost, and is sent once.
    const third = engineAt(clock);
    await third.start({ loop: false });
    await runUntil(third, clock, T0 + 20 * MINUTE);
    expect(receiver.requests.map((request) => payload(request).status)).toEqual([
      "firing",
      "firing",
    ]);
    const resolveMessage = payload(receiver.requests[1]!);
    expect(resolveMessage.alerts.map((alert) => [alert.labels.feature, alert.status])).toEqual([
      ["age", "firing"],
      ["income", "resolved"],
    ]);
    await third.stop();

    const fourth = engineAt(clock);
    await fourth.start({ loop: false });
    await runUntil(fourth, clock, T0 + 30 * MINUTE);
    expect(receiver.requests).toHaveLength(2);
    expect(fourth.listAlerts().map((alert) => alert.labels.feature)).toEqual(["age"]);
    await fourth.stop();
  });

  it("a restart in the middle of retries delivers exactly once as the receiver sees it", async () => {
    // The receiver acts on a key once. Its first answer is lost (500 after acting), then it is
    // overloaded (503) while the sender retries.
    const processed = new Map<string, RecordedRequest>();
    let overloaded = true;
    receiver.responder = (request) => {
      const key = String(request.headers["idempotency-key"]);
      if (!processed.has(key)) {
        processed.set(key, request);
        return { status: 500, body: "crashed after processing" };
      }
      return overloaded
        ? { status: 503, body: "overloaded" }
        : { status: 200, body: "duplicate: already processed" };
    };
    const clock = new ManualClock(T0);
    const first = engineAt(clock);
    await first.start({ loop: false });
    first.processBatch(drift(0, { income: 0.5 }), clock.now());
    // group_wait (30s), attempt 1, backoff ~10s, attempt 2, then asleep before attempt 3.
    await runUntil(first, clock, T0 + 45_000);
    expect(receiver.requests).toHaveLength(2);
    expect(first.deliveries).toEqual({ active: 1, waiting: 1 });
    await first.stop();

    overloaded = false;
    const second = engineAt(clock);
    await second.start({ loop: false });
    await runUntil(second, clock, T0 + 5 * MINUTE);
    await second.stop();

    const keys = receiver.requests.map((request) => request.headers["idempotency-key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(processed.size).toBe(1);

    const attempts = await new DeliveryLogStore(sqlEngine, database).attempts({
      notificationId: String(keys[0]),
    });
    expect(attempts.map((row) => [row.attempt, row.status, row.response_code])).toEqual([
      [1, "retrying", 500],
      [2, "retrying", 503],
      [1, "delivered", 200],
    ]);

    // A third start sends nothing more.
    const third = engineAt(clock);
    await third.start({ loop: false });
    await runUntil(third, clock, T0 + 10 * MINUTE);
    await third.stop();
    expect(receiver.requests).toHaveLength(3);
  });
});
