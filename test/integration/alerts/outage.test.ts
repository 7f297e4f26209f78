// A receiver down for ten minutes of simulated time, then up: every firing and resolve that
// happened meanwhile is delivered, none lost, and the delivery log (ClickHouse) shows the
// attempts. Simulated time makes the ten minutes take well under a second.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  dropDatabase,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import { alertsConfig } from "../../support/config.js";
import { HttpReceiver } from "../../support/peers.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";
import { runUntil } from "./drive.js";
import { T0 } from "../../support/clock.js";

const MINUTE = 60_000;

let sqlEngine: SqlEngine;
const database = uniqueDatabase("alerts_outage");
const receiver = new HttpReceiver();

beforeAll(async () => {
  sqlEngine = serverEngine();
  await applyMigrations(sqlEngine, database);
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  await dropDatabase(sqlEngine, database);
  await sqlEngine.close();
});

const window = (model: string, minute: number, value: number) => ({
  model,
  windowStart: T0 + (minute - 1) * MINUTE,
  windowEnd: T0 + minute * MINUTE,
  observations: [{ kind: "drift" as const, metric: "psi", feature: "income", value }],
});

describe("receiver outage", () => {
  it("delivers everything after ten minutes down, losing nothing", async () => {
    let down = false;
    receiver.responder = () =>
      down ? { status: 503, body: "maintenance" } : { status: 200, body: "ok" };
    const config = alertsConfig({
      route: { receivers: ["hooks"], groupWait: "30s", groupInterval: "1m" },
      receivers: [{ name: "hooks", webhook: { url: `${receiver.url}/alerts` } }],
      rules: [{ name: "feature-drift", result: "drift", metric: "psi", threshold: 0.2 }],
      delivery: { maxAttempts: 6, initialBackoff: "2s", maxBackoff: "1m" },
    });
    const clock = new ManualClock(T0);
    const engine = new AlertEngine({
      config,
      clock,
      store: { engine: sqlEngine, database },
      random: () => 0.5,
    });
    await engine.start({ loop: false });

    // credit fires and is notified while the receiver is up.
    engine.processBatch(window("credit", 1, 0.5), clock.now());
    await runUntil(engine, clock, T0 + MINUTE);
    expect(receiver.requests).toHaveLength(1);

    // Down for ten minutes: two models drift, credit resolves, one more model drifts.
    down = true;
    for (const model of ["fraud", "churn"]) engine.processBatch(window(model, 2, 0.5), clock.now());
    await runUntil(engine, clock, T0 + 3 * MINUTE);
    engine.processBatch(window("credit", 3, 0.01), clock.now());
    await runUntil(engine, clock, T0 + 5 * MINUTE);
    engine.processBatch(window("pricing", 5, 0.6), clock.now());
    await runUntil(engine, clock, T0 + 11 * MINUTE);
    const duringOutage = receiver.requests.length - 1;
    expect(duringOutage).toBeGreaterThan(10);

    down = false;
    await runUntil(engine, clock, T0 + 16 * MINUTE);
    await engine.persist();

    const delivered = receiver.requests.slice(1 + duringOutage).map(
      (request) =>
        JSON.parse(request.body) as {
          alerts: { status: string; labels: { model: string } }[];
        },
    );
    const seen = delivered.flatMap((message) =>
      message.alerts.map((alert) => `${alert.labels.model}:${alert.status}`),
    );
    expect(seen.sort()).toEqual([
      "churn:firing",
      "credit:resolved",
      "fraud:firing",
      "pricing:firing",
    ]);
    expect(delivered).toHaveLength(4);
    // Nothing more once everything is delivered.
    await runUntil(engine, clock, T0 + 30 * MINUTE);
    expect(receiver.requests).toHaveLength(1 + duringOutage + 4);

    const rows = await sqlEngine.query<{ status: string; attempts: number }>(
      sql`SELECT status, count() AS attempts FROM ${tableRef(database, "notifications")} GROUP BY status ORDER BY status`,
    );
    const byStatus = Object.fromEntries(rows.map((row) => [row.status, Number(row.attempts)]));
    expect(byStatus.delivered).toBe(5);
    expect(byStatus.retrying).toBeGreaterThan(10);
    expect(byStatus.failed).toBeGreaterThan(0);
    expect((byStatus.retrying ?? 0) + (byStatus.failed ?? 0)).toBe(duringOutage);
    await engine.stop();
  });
});
