// The alerts tables on both engines (ClickHouse 18.16 over HTTP and chdb): alert state, delivery
// log, silences and the retrain cooldown written and read back by the stores the engine uses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, dropDatabase, type SqlEngine } from "../../../src/store/index.js";
import type { AlertState } from "../../../alerts/model/alert.js";
import type { RetrainRequest } from "../../../alerts/model/retrain-request.js";
import { RetrainService } from "../../../alerts/retrain/retrain-service.js";
import { RetrainStore } from "../../../alerts/retrain/retrain-store.js";
import { AlertStateStore } from "../../../alerts/store/alert-state-store.js";
import { DeliveryLogStore, type DeliveryLogRow } from "../../../alerts/store/delivery-log-store.js";
import { SilenceStore } from "../../../alerts/store/silence-store.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import type { DeliveryResult, Integration } from "../../../alerts/notifiers/types.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";
import { memoryDelivery } from "./support.js";
import { T0 } from "../../support/clock.js";

function alert(fields: Partial<AlertState> & { fingerprint: string }): AlertState {
  return {
    rule: "feature-drift",
    labels: {
      alertname: "feature-drift",
      model: "credit",
      feature: "revenu €/mois",
      metric: "psi",
      severity: "warning",
      scope: "feature",
    },
    state: "firing",
    activeAt: T0,
    firedAt: T0 + 300_000,
    breachingWindows: 2,
    clearWindows: 0,
    lastWindowEnd: T0 + 300_123,
    windowStart: T0,
    windowEnd: T0 + 300_000,
    modelVersion: "7",
    value: 0.31,
    threshold: Number.NaN,
    annotations: { summary: 'it\'s "drifting"\nreally' },
    features: ["a", "b"],
    updatedAt: T0 + 300_000,
    ...fields,
  };
}

function attempt(fields: Partial<DeliveryLogRow>): DeliveryLogRow {
  return {
    sentAt: T0,
    notificationId: "n1",
    groupKey: 'team/{alertname="feature-drift",model="credit"}',
    rule: "feature-drift",
    model: "credit",
    receiver: "team",
    integration: "slack",
    kind: "firing",
    status: "delivered",
    attempt: 1,
    retryable: false,
    reason: "",
    responseCode: 200,
    lastError: "",
    detail: "",
    durationMs: 12,
    firing: ["fp1"],
    resolved: [],
    externalRef: "",
    ...fields,
  };
}

for (const engineUnderTest of ENGINES) {
  describe(`alerts persistence on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("alerts");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await applyMigrations(engine, database);
    });
    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("round-trips alert state; the latest version wins; settled resolves are not live", async () => {
      const store = new AlertStateStore(engine, database);
      await store.write([
        alert({ fingerprint: "fp1", state: "pending", firedAt: undefined, updatedAt: T0 }),
        alert({ fingerprint: "fp2" }),
        alert({
          fingerprint: "fp3",
          state: "resolved",
          resolvedAt: T0 + 600_000,
          resolveSentAt: T0 + 601_000,
          updatedAt: T0 + 601_000,
        }),
        alert({
          fingerprint: "fp4",
          state: "resolved",
          resolvedAt: T0 + 600_000,
          updatedAt: T0 + 600_000,
        }),
      ]);
      await store.write([alert({ fingerprint: "fp1", updatedAt: T0 + 300_000 })]);
      const live = await store.loadLive();
      expect(live.map((item) => [item.fingerprint, item.state])).toEqual([
        ["fp1", "firing"],
        ["fp2", "firing"],
        ["fp4", "resolved"],
      ]);
      const restored = live[1]!;
      const original = alert({ fingerprint: "fp2" });
      expect(restored).toEqual({ ...original, threshold: Number.NaN });
      expect(Number.isNaN(restored.threshold)).toBe(true);
      const listed = await store.list(["resolved"]);
      expect(listed.map((item) => item.fingerprint)).toEqual(["fp3", "fp4"]);
    });

    it("rebuilds the notification log from the last delivered row per group and integration", async () => {
      const store = new DeliveryLogStore(engine, database);
      await store.write([
        attempt({
          sentAt: T0,
          status: "retrying",
          attempt: 1,
          reason: "server_error",
          responseCode: 503,
          lastError: "HTTP 503",
        }),
        attempt({ sentAt: T0 + 2_000, attempt: 2, externalRef: "1700000000.000001" }),
        attempt({
          sentAt: T0 + 600_000,
          notificationId: "n2",
          firing: [],
          resolved: ["fp1"],
          kind: "resolved",
          externalRef: "1700000000.000001",
        }),
        attempt({ sentAt: T0 + 1_000, integration: "email", firing: ["fp1", "fp9"] }),
        attempt({
          sentAt: T0 + 900_000,
          integration: "email",
          notificationId: "n3",
          status: "failed",
          firing: [],
        }),
      ]);
      const loaded = await store.loadNotificationLog(T0 - 60_000);
      const byIntegration = Object.fromEntries(
        loaded.map((item) => [item.integration, item.entry]),
      );
      expect(byIntegration.slack).toEqual({
        firing: new Set(),
        resolved: new Set(["fp1"]),
        sentAt: T0 + 600_000,
        notificationId: "n2",
        threadRef: "1700000000.000001",
      });
      expect(byIntegration.email).toEqual({
        firing: new Set(["fp1", "fp9"]),
        resolved: new Set(),
        sentAt: T0 + 1_000,
        notificationId: "n1",
      });
      const attempts = await store.attempts({ notificationId: "n1" });
      expect(
        attempts.map((row) => [row.integration, row.attempt, row.status, row.response_code]),
      ).toEqual([
        ["slack", 1, "retrying", 503],
        ["email", 1, "delivered", 200],
        ["slack", 2, "delivered", 200],
      ]);
    });

    it("stores, lists and expires silences", async () => {
      const store = new SilenceStore(engine, database);
      const limits = { defaultDurationMs: 7_200_000, maxDurationMs: 86_400_000 };
      const created = await store.create(
        {
          matchers: ['model="credit"', "feature=~inc.*"],
          createdBy: "ana",
          comment: "known promo shift",
        },
        T0,
        limits,
      );
      expect(created.endsAt).toBe(T0 + 7_200_000);
      expect(await store.list(T0)).toEqual([created]);
      const expired = await store.expire(created.id, T0 + 60_000);
      expect(expired.endsAt).toBe(T0 + 60_000);
      expect(await store.list(T0 + 120_000)).toEqual([]);
      expect((await store.get(created.id))!.matchers).toEqual([
        { name: "model", op: "=", value: "credit" },
        { name: "feature", op: "=~", value: "inc.*" },
      ]);
      await expect(store.expire("nope", T0)).rejects.toThrow(/unknown silence "nope"/);
      await expect(
        store.create({ matchers: ["model=x"], createdBy: "", comment: "c" }, T0, limits),
      ).rejects.toThrow(/createdBy/);
    });

    it("one retrain per model within the cooldown, across instances racing and after a restart", async () => {
      const received: RetrainRequest[] = [];
      const action: Integration<RetrainRequest> = {
        kind: "webhook",
        owner: "retrain",
        sendResolved: false,
        send: async (request): Promise<DeliveryResult> => {
          received.push(request);
          return { ok: true, responseCode: 204 };
        },
        close: async () => undefined,
      };
      const clock = new ManualClock(T0);
      const instance = () =>
        new RetrainService({
          actions: new Map([["retrain", action]]),
          cooldownMs: 6 * 3_600_000,
          defaultActions: () => [],
          store: new RetrainStore(engine, database),
          delivery: memoryDelivery({}, { clock }).context,
        });
      // Five instances ask at the same moment (an alert and API calls): exactly one wins.
      const racers = Array.from({ length: 5 }, () => instance());
      const outcomes = await Promise.all(
        racers.map((racer, index) =>
          racer.request(
            index === 0
              ? { model: "credit", source: "alert", episode: "e1", reason: "drift" }
              : { model: "credit", source: "api", reason: `pipeline ${index}` },
            T0,
          ),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === "triggered")).toHaveLength(1);
      await Promise.all(racers.map((racer) => racer.whenIdle()));
      expect(received).toHaveLength(1);
      // A new instance (restart) still sees the cooldown; another model is not affected.
      const c = instance();
      const later = await c.request(
        { model: "credit", source: "alert", episode: "e2" },
        T0 + 3_600_000,
      );
      expect(later).toMatchObject({ status: "cooldown", cooldownUntil: T0 + 6 * 3_600_000 });
      expect(
        (await c.request({ model: "fraud", source: "alert", episode: "e3" }, T0 + 3_600_000))
          .status,
      ).toBe("triggered");
      // force ignores it; after the cooldown a request goes through.
      expect(
        (await c.request({ model: "credit", source: "api", force: true }, T0 + 3_600_000)).status,
      ).toBe("triggered");
      expect(
        (await c.request({ model: "credit", source: "alert", episode: "e4" }, T0 + 5 * 3_600_000))
          .status,
      ).toBe("cooldown");
      expect(
        (await c.request({ model: "credit", source: "alert", episode: "e5" }, T0 + 8 * 3_600_000))
          .status,
      ).toBe("triggered");
      await c.whenIdle();
      expect(received.map((request) => request.model)).toEqual([
        "credit",
        "fraud",
        "credit",
        "credit",
      ]);
    });
  });
}
