// Silences with hostile regexes through the real API, ClickHouse 18.16 and the alert engine:
// an evil-but-valid RE2 silence is matched against long labels without freezing the process (the
// API answers while the engine matches), and a stored silence the engine now refuses (a
// backreference written by an older version) is expired on load with a warning naming it, while
// the other silences keep working.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import { SilenceStore } from "../../../alerts/store/silence-store.js";
import { qualifiedName, tableRef } from "../../../src/store/database.js";
import { sql } from "../../../src/store/sql.js";
import { toSeconds } from "../../../alerts/store/columns.js";
import { type ApiTestEnv, createApiTestEnv, withApp } from "../../support/app.js";
import { HttpReceiver, type RecordedRequest } from "../../support/peers.js";
import { AUTH_YAML, bearer, TOKENS } from "../../support/tokens.js";
import { captureLog } from "./support.js";

let env: ApiTestEnv;
let receiver: HttpReceiver;

beforeAll(async () => {
  env = await createApiTestEnv("regex_silences");
  receiver = new HttpReceiver();
  await receiver.start();
});

afterAll(async () => {
  await receiver?.stop();
  await env?.close();
});

const writer = bearer(TOKENS.writer);
const reader = bearer(TOKENS.reader);
const HOUR = 3_600_000;

/** Alerts config: one rule (its own name per test, so alerts persisted by another stay apart). */
function alertsYaml(path: string, rule: string): string {
  return `${AUTH_YAML}alerts:
  route: { receivers: [hooks], groupWait: 0s, groupInterval: 1m }
  receivers:
    - name: hooks
      webhook: { url: "${receiver.url}${path}" }
  rules:
    - { name: ${rule}, result: drift, metric: psi, threshold: 0.2 }
`;
}

function drift(features: readonly string[], now: number) {
  return {
    model: "credit-risk",
    windowStart: now - 5 * 60_000,
    windowEnd: now,
    observations: features.map((feature) => ({
      kind: "drift" as const,
      metric: "psi",
      feature,
      value: 0.5,
    })),
  };
}

function notifiedFeatures(requests: readonly RecordedRequest[]): string[] {
  return requests
    .flatMap(
      (request) =>
        (JSON.parse(request.body) as { alerts: { labels: { feature: string } }[] }).alerts,
    )
    .map((alert) => alert.labels.feature)
    .sort();
}

/** A silences row exactly as SilenceStore writes one (columns of migration 005). */
function silenceRow(id: string, matchers: unknown, now: number) {
  return {
    id,
    matchers: JSON.stringify(matchers),
    starts_at: toSeconds(now - HOUR),
    ends_at: toSeconds(now + HOUR),
    created_by: "older-driftwatch",
    comment: "stored before matchers moved to RE2",
    created_at: toSeconds(now - HOUR),
    updated_at: toSeconds(now - HOUR),
    version: now - HOUR,
  };
}

describe("an evil regex silence through the API", () => {
  it("is matched against long labels in milliseconds while the API keeps answering", async () => {
    await withApp(env, { yaml: alertsYaml("/evil", "evil-drift") }, async ({ app, config }) => {
      // (a|a?)+$ takes JavaScript's RegExp ~14 s on 26 characters, doubling per extra one.
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: writer,
        payload: { matchers: ["model=credit-risk", "feature=~(a|a?)+$"], comment: "evil" },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().matchers).toEqual([
        { name: "model", op: "=", value: "credit-risk" },
        { name: "feature", op: "=~", value: "(a|a?)+$" },
      ]);

      const engine = new AlertEngine({
        config: config.alerts,
        store: { engine: env.engine, database: env.database },
      });
      await engine.start({ loop: false });
      try {
        const hostile = Array.from({ length: 50 }, (_, index) => `${"a".repeat(200 + index)}!`);
        const now = Date.now();
        engine.processBatch(drift(["aaaa", "a".repeat(256), "income", ...hostile], now), now);

        // A request in flight while the engine matches every alert against the silence.
        const started = performance.now();
        const listing = app.inject({ method: "GET", url: "/api/v1/silences", headers: reader });
        const tickStarted = performance.now();
        expect(engine.tick(now + 1)).toBe(1);
        const tickMs = performance.now() - tickStarted;
        const listed = await listing;
        const answeredMs = performance.now() - started;
        expect(listed.statusCode).toBe(200);
        expect(listed.json().silences.map((silence: { id: string }) => silence.id)).toEqual([
          created.json().id,
        ]);
        expect(tickMs).toBeLessThan(500);
        expect(answeredMs).toBeLessThan(1_000);

        await engine.whenIdle();
        // Full matches are silenced ("aaaa", 256 a's); the hostile names and "income" are not.
        expect(notifiedFeatures(receiver.to("/evil"))).toEqual(["income", ...hostile].sort());
      } finally {
        await engine.stop();
      }
    });
  });

  it("a regex RE2 refuses is a 400 naming the matcher and saying RE2 syntax is required", async () => {
    await withApp(env, { yaml: AUTH_YAML }, async ({ app }) => {
      const refused = await app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: writer,
        payload: { matchers: ["model=credit-risk", "feature=~(a)\\1"], comment: "backref" },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: "DW_ERR_VALIDATION",
        field: "matchers[1]",
      });
      expect(refused.json().error.message).toMatch(
        /backreferences such as \\1 are not supported: RE2 syntax is required/,
      );
      const tooLong = await app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: writer,
        payload: {
          matchers: ["model=credit-risk", { name: "feature", op: "=~", value: "a".repeat(1025) }],
          comment: "long",
        },
      });
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json().error.message).toMatch(/1025 characters long, at most 1024/);
      const tooMany = await app.inject({
        method: "POST",
        url: "/api/v1/silences",
        headers: writer,
        payload: {
          matchers: Array.from({ length: 65 }, (_, index) => `l${index}=v`),
          comment: "many",
        },
      });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().error.field).toBe("matchers");
    });
  });
});

describe("stored silences the new engine refuses", () => {
  it("are expired on load with a warning naming them; the other silences still work", async () => {
    const table = qualifiedName(env.database, "silences");
    const now = Date.now();
    const limits = { defaultDurationMs: 2 * HOUR, maxDurationMs: 24 * HOUR };
    const plain = new SilenceStore(env.engine, env.database);
    const valid = await plain.create(
      { matchers: ["model=credit-risk", "feature=income"], createdBy: "ana", comment: "promo" },
      now,
      limits,
    );
    await env.engine.insert(table, [
      silenceRow("legacy-backref", [{ name: "feature", op: "=~", value: "(a)\\1" }], now),
    ]);

    // Loaded through a store with a logger: the warning names the silence and the reason.
    const log = captureLog();
    const store = new SilenceStore(env.engine, env.database, { logger: log.logger });
    const running = await store.list(Date.now());
    expect(running.map((silence) => silence.id)).toContain(valid.id);
    expect(running.map((silence) => silence.id)).not.toContain("legacy-backref");
    const warning = log.lines.find((line) => line.silence === "legacy-backref");
    expect(warning).toMatchObject({ level: 40 });
    expect(String(warning?.reason)).toMatch(
      /^matchers\[0\]: invalid regex in matcher feature=~"\(a\)\\\\1": backreferences such as \\1 are not supported: RE2 syntax is required/,
    );
    expect(String(warning?.msg)).toMatch(
      /^silence legacy-backref expired: its matchers are refused/,
    );
    // Expired in ClickHouse: a later load neither lists it as running nor warns again.
    expect((await store.list(Date.now())).map((silence) => silence.id)).not.toContain(
      "legacy-backref",
    );
    expect(log.lines.filter((line) => line.silence === "legacy-backref")).toHaveLength(1);

    // A second refused row, loaded by the alert engine itself (start, as after a restart).
    await env.engine.insert(table, [
      silenceRow("legacy-lookahead", [{ name: "feature", op: "=~", value: "(?!x).*" }], now),
    ]);
    await withApp(
      env,
      { yaml: alertsYaml("/restart", "restart-drift") },
      async ({ app, config }) => {
        const engine = new AlertEngine({
          config: config.alerts,
          store: { engine: env.engine, database: env.database },
        });
        await engine.start({ loop: false });
        try {
          // The engine's own load expired it in ClickHouse.
          const [stored] = await env.engine.query<{ ends_at: number }>(
            sql`SELECT toUnixTimestamp(ends_at) AS ends_at FROM ${tableRef(env.database, "silences")}
WHERE id = 'legacy-lookahead' ORDER BY version DESC LIMIT 1`,
          );
          expect(Number(stored?.ends_at) * 1000).toBeLessThanOrEqual(Date.now());
          const at = Date.now();
          engine.processBatch(drift(["income", "age"], at), at);
          engine.tick(at + 1);
          await engine.whenIdle();
          // The valid silence still mutes income; age is notified.
          expect(notifiedFeatures(receiver.to("/restart"))).toEqual(["age"]);
        } finally {
          await engine.stop();
        }

        const all = await app.inject({
          method: "GET",
          url: "/api/v1/silences?includeExpired=true",
          headers: reader,
        });
        expect(all.statusCode).toBe(200);
        const byId = new Map<string, { status: string; matchers: unknown }>(
          all.json().silences.map((silence: { id: string }) => [silence.id, silence]),
        );
        expect(byId.get(valid.id)?.status).toBe("active");
        expect(byId.get("legacy-backref")).toMatchObject({
          status: "expired",
          matchers: [{ name: "feature", op: "=~", value: "(a)\\1" }],
        });
        expect(byId.get("legacy-lookahead")?.status).toBe("expired");
      },
    );
  });
});
