// Hostile text through every writer, on both engines (ClickHouse 18.16 over HTTP and chdb),
// generated with fast-check (fixed seeds, many strings per insert): lone UTF-16 surrogates, cut
// emoji pairs, NUL, backslashes, the text "\ud800", huge strings. No insert fails, and every text
// read back (as hex bytes, and through the writer's own read method) is `storedText(input)`:
// dead_letters through engine.insert (raw payload bytes kept byte for byte, invalid UTF-8 too),
// `sql` literals, the ingester's RowBinary prediction rows (HTTP engine), the audit log, the
// delivery log, alert state, silences and retrain requests.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../src/audit/index.js";
import { PREDICTION_COLUMNS, RowBinaryWriter } from "../../../src/ingest/row-binary.js";
import type { PredictionRow } from "../../../src/ingest/rows.js";
import {
  applyMigrations,
  dropDatabase,
  ident,
  join,
  qualifiedName,
  sql,
  tableRef,
  type SqlEngine,
} from "../../../src/store/index.js";
import { storedText } from "../../../src/util/text.js";
import type { AlertState } from "../../../alerts/model/alert.js";
import type { RetrainRequest } from "../../../alerts/model/retrain-request.js";
import { RetrainStore } from "../../../alerts/retrain/retrain-store.js";
import { AlertStateStore } from "../../../alerts/store/alert-state-store.js";
import { DeliveryLogStore, type DeliveryLogRow } from "../../../alerts/store/delivery-log-store.js";
import { SilenceStore } from "../../../alerts/store/silence-store.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

/** Units that make text hard: lone and paired surrogate halves, emoji, NUL, quotes, escapes. */
const NASTY_UNITS = [
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "\ud83d", // high half of 😀
  "\ude00", // low half of 😀
  "😀",
  "👩‍👩‍👧",
  "e\u0301",
  "\u0000",
  "\u0001",
  "\n",
  "\t",
  "\\",
  "'",
  '"',
  "`",
  "\\ud800",
  "\\N",
  "…",
  "\ufffd",
  "\ufeff",
  "\u2028",
  "\uffff",
  "日本",
  "a",
];

const nastyUnit = fc.constantFrom(...NASTY_UNITS);

/** Any string, lone surrogates included; long ones cross the 127-byte length-prefix boundary. */
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: nastyUnit, maxLength: 30 }),
  fc.constantFrom("", "\ud800", "\\ud800", "\u0000", "😀".slice(0, 1), "'; DROP TABLE x; --"),
  fc
    .tuple(
      fc.string({ unit: nastyUnit, minLength: 1, maxLength: 4 }),
      fc.integer({ min: 20, max: 300 }),
    )
    .map(([pattern, times]) => pattern.repeat(times)),
);

/** Hostile text with something besides whitespace (writers that require a value trim it). */
const hostileRequired = hostileString.filter((text) => text.trim() !== "");

/** Payload bytes as a consumer may receive them: invalid UTF-8, CESU surrogates, "\ud800" text. */
const payloadBytes = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  hostileString.map((text) => Buffer.from(text, "utf8")),
  hostileString.map((text) => Buffer.from(JSON.stringify({ event_id: text }), "utf8")),
  fc.constantFrom(
    Buffer.from("\\ud800", "utf8"),
    Buffer.from('{"event_id":"\\udc00"}', "utf8"),
    Buffer.from([0xed, 0xa0, 0x80]), // a surrogate in CESU-8: not UTF-8
    Buffer.from([0xff, 0xfe, 0x00, 0x22, 0x5c, 0x0a, 0xc3, 0x28]),
    Buffer.alloc(0),
  ),
);

/** The UTF-8 bytes of `text` as ClickHouse's hex() prints them. */
function hexOf(text: string | Buffer): string {
  return (typeof text === "string" ? Buffer.from(text, "utf8") : text)
    .toString("hex")
    .toUpperCase();
}

function fromHex(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}

/** A column read as hex(col) holds exactly the UTF-8 bytes of storedText(input). */
function expectStored(hex: string | undefined, input: string, what = "column"): void {
  const expected = storedText(input);
  expect(fromHex(hex ?? ""), `${what} of ${JSON.stringify(input).slice(0, 200)}`).toBe(expected);
  expect(hex).toBe(hexOf(expected));
}

function expectStoredArray(hexes: readonly string[], inputs: readonly string[], what: string) {
  expect(hexes.map(fromHex), what).toEqual(inputs.map((input) => storedText(input)));
  expect(hexes).toEqual(inputs.map((input) => hexOf(storedText(input))));
}

/** ClickHouse SQL that reads an Array(String) column as hex strings. */
function hexArray(column: string) {
  return sql`arrayMap(x -> hex(x), ${ident(column)}) AS ${ident(column)}`;
}

/** JSON text stored in a String column, read back through JSON.parse (lone surrogates and all). */
const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Where the property runs' time ranges start (epoch ms), far from other tests' data. */
const RUNS_START = Date.UTC(2030, 0, 1);
/** Each property run gets its own time range (longer than any cooldown used below). */
const RUN_SPAN_MS = 100_000_000;

describe.each(ENGINES)("hostile text through every writer on $name", ({ open }) => {
  let engine: SqlEngine;
  const database = uniqueDatabase("hostile");
  let run = 0;
  /** Start of a fresh property run's time range (epoch ms, whole seconds). */
  const nextRun = () => RUNS_START + ++run * RUN_SPAN_MS;

  beforeAll(async () => {
    engine = await open();
    await applyMigrations(engine, database);
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
  });

  it("engine.insert into dead_letters: text stored as storedText, payload bytes unchanged", async () => {
    const item = fc.record({
      topic: hostileString,
      reason: hostileString,
      detail: hostileString,
      raw: fc.oneof(payloadBytes, hostileString),
      key: payloadBytes,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 25 }), async (items) => {
        const base = nextRun();
        const rows = items.map((fields, index) => ({
          received_at: new Date(base + index * 1000),
          partition: index,
          offset: base + index,
          ...fields,
        }));
        await engine.insert(qualifiedName(database, "dead_letters"), rows);
        const back = await engine.query<{
          offset: number;
          topic: string;
          reason: string;
          detail: string;
          raw: string;
          key: string;
        }>(sql`SELECT ${ident("offset")}, hex(topic) AS topic, hex(reason) AS reason,
  hex(detail) AS detail, hex(raw) AS raw, hex(key) AS key
FROM ${tableRef(database, "dead_letters")}
WHERE ${ident("offset")} >= ${base} AND ${ident("offset")} < ${base + 1000}
ORDER BY ${ident("offset")}`);
        expect(back.map((row) => row.offset)).toEqual(rows.map((row) => row.offset));
        back.forEach((stored, index) => {
          const row = rows[index]!;
          expectStored(stored.topic, row.topic, "topic");
          expectStored(stored.reason, row.reason, "reason");
          expectStored(stored.detail, row.detail, "detail");
          // Bytes are kept as received; a string payload is stored as storable text.
          expect(stored.raw).toBe(
            hexOf(typeof row.raw === "string" ? storedText(row.raw) : row.raw),
          );
          expect(stored.key).toBe(hexOf(row.key));
        });
        // A literal of the same input finds the stored text (both sides are storedText).
        const probe = rows[0]!.detail;
        const [count] = await engine.query<{ n: number }>(
          sql`SELECT count() AS n FROM ${tableRef(database, "dead_letters")}
WHERE detail = ${probe} AND ${ident("offset")} >= ${base} AND ${ident("offset")} < ${base + 1000}`,
        );
        expect(Number(count?.n)).toBe(
          rows.filter((row) => storedText(row.detail) === storedText(probe)).length,
        );
      }),
      { seed: 1_816, numRuns: 40 },
    );
  });

  it("sql literals: SELECT ${s} AS s returns storedText(s), alone and in an array", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileString, { minLength: 1, maxLength: 25 }),
        async (strings) => {
          const columns = strings.map(
            (text, index) =>
              sql`${text} AS ${ident(`s${index}`)}, hex(${ident(`s${index}`)}) AS ${ident(`h${index}`)}`,
          );
          const [row] = await engine.query<Record<string, unknown>>(
            sql`SELECT ${join(columns)}, arrayMap(x -> hex(x), ${strings}) AS array_hex`,
          );
          strings.forEach((text, index) => {
            expect(row?.[`s${index}`], JSON.stringify(text)).toBe(storedText(text));
            expectStored(row?.[`h${index}`] as string, text, "literal");
          });
          expectStoredArray(row?.array_hex as string[], strings, "array literal");
        },
      ),
      { seed: 39_390, numRuns: 40 },
    );
  });

  it("RowBinary prediction rows (the ingester's writer) store storedText in every text column", async () => {
    const table = qualifiedName(database, "predictions");
    const insert = (writer: RowBinaryWriter) =>
      engine.insertJsonEachRow(table, writer.bytes(), {
        format: "RowBinary",
        columns: PREDICTION_COLUMNS,
      });
    const strings = (max: number) => fc.array(hostileString, { maxLength: max });
    const item = fc.record({
      model: hostileString,
      model_version: hostileString,
      event_id: hostileString,
      num_names: strings(4),
      cat: fc.array(fc.tuple(hostileString, hostileString), { maxLength: 4 }),
      missing_names: strings(3),
      prediction: fc.option(hostileString),
      label: fc.option(hostileString),
      kafka_topic: hostileString,
    });
    const writer = new RowBinaryWriter(64); // small: grows while writing; its cache spans runs
    if (engine.kind !== "clickhouse-http") {
      // chdb takes JSONEachRow only, and says so instead of storing anything else.
      writer.writePrediction(rowOf(fc.sample(item, { seed: 1, numRuns: 1 })[0]!, 0, RUNS_START));
      await expect(insert(writer)).rejects.toThrow(/RowBinary/);
      return;
    }
    await fc.assert(
      fc.asyncProperty(fc.array(item, { minLength: 1, maxLength: 20 }), async (items) => {
        const base = nextRun();
        const rows = items.map((fields, index) => rowOf(fields, index, base));
        writer.reset();
        for (const row of rows) writer.writePrediction(row);
        await insert(writer);
        const back = await engine.query<{
          kafka_offset: number;
          ts: number;
          ts_ms: number;
          model: string;
          model_version: string;
          event_id: string;
          num_names: string[];
          num_values: number[];
          cat_names: string[];
          cat_values: string[];
          missing_names: string[];
          prediction: string | null;
          prediction_value: number | null;
          label: string | null;
          label_value: number | null;
          kafka_topic: string;
        }>(sql`SELECT kafka_offset, toUnixTimestamp(ts) AS ts, ts_ms, hex(model) AS model,
  hex(model_version) AS model_version, hex(event_id) AS event_id, ${hexArray("num_names")},
  num_values, ${hexArray("cat_names")}, ${hexArray("cat_values")}, ${hexArray("missing_names")},
  hex(prediction) AS prediction, prediction_value, hex(label) AS label, label_value,
  hex(kafka_topic) AS kafka_topic
FROM ${tableRef(database, "predictions")}
WHERE kafka_offset >= ${base} AND kafka_offset < ${base + 1000}
ORDER BY kafka_offset`);
        expect(back.map((row) => row.kafka_offset)).toEqual(rows.map((row) => row.kafka_offset));
        back.forEach((stored, index) => {
          const row = rows[index]!;
          expect([stored.ts, stored.ts_ms]).toEqual([row.ts, row.ts_ms]);
          expectStored(stored.model, row.model, "model");
          expectStored(stored.model_version, row.model_version, "model_version");
          expectStored(stored.event_id, row.event_id, "event_id");
          expectStored(stored.kafka_topic, row.kafka_topic, "kafka_topic");
          expectStoredArray(stored.num_names, row.num_names, "num_names");
          expect(stored.num_values).toEqual(row.num_values);
          expectStoredArray(stored.cat_names, row.cat_names, "cat_names");
          expectStoredArray(stored.cat_values, row.cat_values, "cat_values");
          expectStoredArray(stored.missing_names, row.missing_names, "missing_names");
          for (const column of ["prediction", "label"] as const) {
            const input = row[column];
            if (input === null) expect(stored[column]).toBeNull();
            else expectStored(stored[column] ?? undefined, input, column);
          }
          expect([stored.prediction_value, stored.label_value]).toEqual([
            row.prediction_value,
            row.label_value,
          ]);
        });
      }),
      { seed: 8_123, numRuns: 30 },
    );
  });

  it("AuditLog.record: actor and target as storedText, the detail JSON exactly", async () => {
    const detail = fc.dictionary(
      hostileString,
      fc.oneof(
        hostileString,
        fc.integer(),
        fc.boolean(),
        fc.array(hostileString, { maxLength: 3 }),
      ),
      { maxKeys: 4, noNullPrototype: true },
    );
    const entry = fc.record({ actor: hostileString, target: hostileString, detail });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), async (entries) => {
        const base = nextRun();
        let now = base;
        const log = new AuditLog(engine, database, () => now);
        for (const [index, fields] of entries.entries()) {
          now = base + index * 1000;
          await log.record({ ...fields, action: "silence.create" });
        }
        const to = base + entries.length * 1000;
        const expected = entries.map((fields, index) => ({
          at: base + index * 1000,
          actor: storedText(fields.actor),
          action: "silence.create",
          target: storedText(fields.target),
          detail: viaJson(fields.detail),
        }));
        // Newest first through the log's own reader.
        expect(await log.list({ from: base, to })).toEqual([...expected].reverse());
        const stored = await engine.query<{ actor: string; target: string; detail: string }>(
          sql`SELECT hex(actor) AS actor, hex(target) AS target, hex(detail) AS detail
FROM ${tableRef(database, "audit_log")}
WHERE ts >= toDateTime(${base / 1000}) AND ts < toDateTime(${to / 1000}) ORDER BY ts`,
        );
        stored.forEach((row, index) => {
          const fields = entries[index]!;
          expectStored(row.actor, fields.actor, "actor");
          expectStored(row.target, fields.target, "target");
          expectStored(row.detail, JSON.stringify(fields.detail), "detail");
        });
        // A hostile target filter finds exactly the entries it names (target or target@…).
        const wanted = storedText(entries[0]!.target);
        const filtered = await log.list({ target: entries[0]!.target, from: base, to });
        expect(filtered).toEqual(
          [...expected]
            .reverse()
            .filter(
              (item) =>
                item.target === wanted ||
                item.target.startsWith(storedText(`${entries[0]!.target}@`)),
            ),
        );
      }),
      { seed: 2_026, numRuns: 30 },
    );
  });

  it("DeliveryLogStore.write: every text column and array as storedText, read back by the store", async () => {
    const attempt = fc.record({
      notificationId: hostileString,
      groupKey: hostileString,
      rule: hostileString,
      model: hostileString,
      receiver: hostileString,
      integration: hostileString,
      kind: fc.constantFrom("firing" as const, "resolved" as const, "retrain" as const),
      status: fc.constantFrom("delivered" as const, "failed" as const, "retrying" as const),
      retryable: fc.boolean(),
      reason: hostileString,
      responseCode: fc.integer({ min: 0, max: 599 }),
      lastError: hostileString,
      detail: hostileString,
      durationMs: fc.nat({ max: 100_000 }),
      firing: fc.array(hostileString, { maxLength: 4 }),
      resolved: fc.array(hostileString, { maxLength: 4 }),
      externalRef: hostileString,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 20 }), async (fields) => {
        const base = nextRun();
        const rows: DeliveryLogRow[] = fields.map((row, index) => ({
          ...row,
          sentAt: base + index * 1000,
          attempt: index + 1,
        }));
        const store = new DeliveryLogStore(engine, database);
        await store.write(rows);
        const stored = await engine.query<Record<string, string | string[]>>(
          sql`SELECT hex(notification_id) AS notification_id, hex(group_key) AS group_key,
  hex(rule) AS rule, hex(model) AS model, hex(receiver) AS receiver, hex(integration) AS integration,
  hex(reason) AS reason, hex(last_error) AS last_error, hex(detail) AS detail,
  hex(external_ref) AS external_ref, ${hexArray("firing")}, ${hexArray("resolved")}
FROM ${tableRef(database, "notifications")}
WHERE sent_at_ms >= ${base} AND sent_at_ms < ${base + RUN_SPAN_MS}
ORDER BY sent_at_ms`,
        );
        expect(stored).toHaveLength(rows.length);
        stored.forEach((column, index) => {
          const row = rows[index]!;
          expectStored(column.notification_id as string, row.notificationId, "notification_id");
          expectStored(column.group_key as string, row.groupKey, "group_key");
          expectStored(column.rule as string, row.rule, "rule");
          expectStored(column.model as string, row.model, "model");
          expectStored(column.receiver as string, row.receiver, "receiver");
          expectStored(column.integration as string, row.integration, "integration");
          expectStored(column.reason as string, row.reason, "reason");
          expectStored(column.last_error as string, row.lastError, "last_error");
          expectStored(column.detail as string, row.detail, "detail");
          expectStored(column.external_ref as string, row.externalRef, "external_ref");
          expectStoredArray(column.firing as string[], row.firing, "firing");
          expectStoredArray(column.resolved as string[], row.resolved, "resolved");
        });
        // The store's readers: every attempt of the run, and the rebuilt notification log.
        const attempts = await store.attempts({ sinceMs: base });
        expect(attempts).toEqual(
          rows.map((row) => ({
            notification_id: storedText(row.notificationId),
            receiver: storedText(row.receiver),
            integration: storedText(row.integration),
            kind: row.kind,
            status: row.status,
            attempt: row.attempt,
            reason: storedText(row.reason),
            response_code: row.responseCode,
            last_error: storedText(row.lastError),
            sent_at_ms: row.sentAt,
          })),
        );
        const lastDelivered = new Map<string, DeliveryLogRow>();
        for (const row of rows) {
          if (row.status !== "delivered" || row.kind === "retrain") continue;
          lastDelivered.set(`${storedText(row.groupKey)}\u0000${storedText(row.integration)}`, row);
        }
        const order = (a: { groupKey: string; integration: string }, b: typeof a) =>
          a.groupKey === b.groupKey
            ? a.integration < b.integration
              ? -1
              : 1
            : a.groupKey < b.groupKey
              ? -1
              : 1;
        const loaded = await store.loadNotificationLog(base);
        expect([...loaded].sort(order)).toEqual(
          [...lastDelivered.values()]
            .map((row) => ({
              groupKey: storedText(row.groupKey),
              integration: storedText(row.integration),
              entry: {
                firing: new Set(row.firing.map((text) => storedText(text))),
                resolved: new Set(row.resolved.map((text) => storedText(text))),
                sentAt: row.sentAt,
                notificationId: storedText(row.notificationId),
                ...(storedText(row.externalRef) !== ""
                  ? { threadRef: storedText(row.externalRef) }
                  : {}),
              },
            }))
            .sort(order),
        );
      }),
      { seed: 5_150, numRuns: 30 },
    );
  });

  it("AlertStateStore.write: text columns as storedText, labels and annotations as exact JSON", async () => {
    const alert = fc.record({
      fingerprint: hostileString,
      rule: hostileString,
      labels: fc.dictionary(hostileString, hostileString, { maxKeys: 3, noNullPrototype: true }),
      model: hostileString,
      feature: hostileString,
      metric: hostileString,
      severity: hostileString,
      summary: hostileString.filter((text) => text !== ""),
      description: hostileString,
      modelVersion: hostileString,
      features: fc.array(hostileString, { maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(alert, { minLength: 1, maxLength: 15 }), async (fields) => {
        const base = nextRun();
        const alerts: AlertState[] = fields.map((item, index) => ({
          rule: item.rule,
          // Unique per alert (rows of one rule, model and id replace each other by design).
          fingerprint: `${run}.${index}:${item.fingerprint}`,
          labels: {
            ...item.labels,
            model: item.model,
            feature: item.feature,
            metric: item.metric,
            severity: item.severity,
          },
          state: "firing",
          activeAt: base,
          firedAt: base + 1000,
          breachingWindows: 2,
          clearWindows: 0,
          modelVersion: item.modelVersion,
          value: 0.5,
          threshold: 0.25,
          annotations: { summary: item.summary, description: item.description },
          features: item.features,
          updatedAt: base + index,
        }));
        const store = new AlertStateStore(engine, database);
        await store.write(alerts);
        const stored = await engine.query<Record<string, string | string[]>>(
          sql`SELECT hex(alert_id) AS alert_id, hex(rule) AS rule, hex(model) AS model,
  hex(model_version) AS model_version, hex(feature) AS feature, hex(metric) AS metric,
  hex(severity) AS severity, hex(message) AS message, hex(labels) AS labels,
  hex(annotations) AS annotations, ${hexArray("features")}
FROM ${tableRef(database, "alerts")}
WHERE version >= ${base} AND version < ${base + RUN_SPAN_MS}
ORDER BY version`,
        );
        expect(stored).toHaveLength(alerts.length);
        stored.forEach((column, index) => {
          const item = alerts[index]!;
          expectStored(column.alert_id as string, item.fingerprint, "alert_id");
          expectStored(column.rule as string, item.rule, "rule");
          expectStored(column.model as string, item.labels.model!, "model");
          expectStored(column.model_version as string, item.modelVersion!, "model_version");
          expectStored(column.feature as string, item.labels.feature!, "feature");
          expectStored(column.metric as string, item.labels.metric!, "metric");
          expectStored(column.severity as string, item.labels.severity!, "severity");
          expectStored(column.message as string, item.annotations.summary!, "message");
          expectStored(column.labels as string, JSON.stringify(item.labels), "labels");
          expectStored(
            column.annotations as string,
            JSON.stringify(item.annotations),
            "annotations",
          );
          expectStoredArray(column.features as string[], item.features, "features");
        });
        // The engine's own reader: this run's alerts, in (rule, alert_id) order.
        const live = (await store.list(["firing"])).filter(
          (item) => item.updatedAt >= base && item.updatedAt < base + RUN_SPAN_MS,
        );
        const byVersion = [...live].sort((a, b) => a.updatedAt - b.updatedAt);
        expect(byVersion).toEqual(
          alerts.map((item) => ({
            rule: storedText(item.rule),
            fingerprint: storedText(item.fingerprint),
            labels: viaJson(item.labels),
            state: "firing",
            activeAt: base,
            firedAt: base + 1000,
            ...(storedText(item.modelVersion!) !== ""
              ? { modelVersion: storedText(item.modelVersion!) }
              : {}),
            breachingWindows: 2,
            clearWindows: 0,
            value: 0.5,
            threshold: 0.25,
            annotations: viaJson(item.annotations),
            features: item.features.map((text) => storedText(text)),
            updatedAt: item.updatedAt,
          })),
        );
      }),
      { seed: 7_007, numRuns: 30 },
    );
  });

  it("SilenceStore.create: who and why as storedText (trimmed), matchers as exact JSON", async () => {
    const limits = { defaultDurationMs: 3_600_000, maxDurationMs: 86_400_000 };
    // Matcher values stay well below the silences' own length limit (cut anywhere: a pair too).
    const value = hostileString.map((text) => text.slice(0, 500));
    const input = fc.record({
      model: value.filter((text) => text !== ""),
      name: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
      op: fc.constantFrom("=" as const, "!=" as const),
      value,
      createdBy: hostileRequired,
      comment: hostileRequired,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 4 }), async (inputs) => {
        const base = nextRun();
        const store = new SilenceStore(engine, database);
        for (const fields of inputs) {
          const created = await store.create(
            {
              matchers: [
                { name: "model", op: "=", value: fields.model },
                { name: fields.name, op: fields.op, value: fields.value },
              ],
              createdBy: fields.createdBy,
              comment: fields.comment,
            },
            base,
            limits,
          );
          expect(created.createdBy).toBe(fields.createdBy.trim());
          const [stored] = await engine.query<Record<string, string>>(
            sql`SELECT hex(created_by) AS created_by, hex(comment) AS comment, hex(matchers) AS matchers
FROM ${tableRef(database, "silences")} WHERE id = ${created.id}`,
          );
          expectStored(stored?.created_by, fields.createdBy.trim(), "created_by");
          expectStored(stored?.comment, fields.comment.trim(), "comment");
          expectStored(stored?.matchers, JSON.stringify(created.matchers), "matchers");
          expect(await store.get(created.id)).toEqual({
            ...created,
            createdBy: storedText(created.createdBy),
            comment: storedText(created.comment),
            matchers: viaJson(created.matchers),
          });
        }
      }),
      { seed: 4_242, numRuns: 25 },
    );
  });

  it("RetrainStore: claims and statuses store storedText; unfinished requests come back whole", async () => {
    const cooldownMs = 3_600_000;
    const request = fc.record({
      model: hostileString,
      source: fc.constantFrom("alert" as const, "api" as const),
      reason: hostileString,
      requestedBy: fc.option(hostileString, { nil: undefined }),
      actions: fc.array(hostileString, { minLength: 1, maxLength: 3 }),
      alertRule: hostileString,
      alertLabels: fc.dictionary(hostileString, hostileString, {
        maxKeys: 2,
        noNullPrototype: true,
      }),
      episode: hostileString,
      status: fc.option(
        fc.tuple(fc.constantFrom("delivered" as const, "failed" as const), hostileString),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 6 }), async (items) => {
        const base = nextRun();
        const store = new RetrainStore(engine, database, 0);
        const requests: RetrainRequest[] = items.map((item, index) => ({
          id: `r${run}i${index}`,
          model: item.model,
          source: item.source,
          reason: item.reason,
          requestedAt: base + index * 1000,
          ...(item.requestedBy !== undefined ? { requestedBy: item.requestedBy } : {}),
          alerts: [
            {
              rule: item.alertRule,
              fingerprint: item.episode,
              labels: item.alertLabels,
              value: 1,
              threshold: 0.5,
            },
          ],
          actions: item.actions,
        }));
        for (const [index, item] of items.entries()) {
          const retrain = requests[index]!;
          // The first claim of a run checks the cooldown (earlier runs are far outside it).
          const claim = await store.claim(retrain, item.episode, cooldownMs, index > 0);
          expect(claim).toEqual({ won: true });
          if (item.status !== null) {
            const [status, detail] = item.status;
            await store.setStatus(retrain, item.episode, status, detail, retrain.requestedAt + 500);
          }
        }
        const stored = await engine.query<Record<string, string | string[]>>(
          sql`SELECT request_id, hex(argMax(model, updated_at_ms)) AS model,
  hex(argMax(source, updated_at_ms)) AS source, hex(argMax(reason, updated_at_ms)) AS reason,
  hex(argMax(episode, updated_at_ms)) AS episode, arrayMap(x -> hex(x), argMax(actions, updated_at_ms)) AS actions,
  argMax(status, updated_at_ms) AS status, hex(argMax(detail, updated_at_ms)) AS detail,
  hex(argMax(payload, updated_at_ms)) AS payload, min(requested_at_ms) AS first_ms
FROM ${tableRef(database, "retrain_requests")}
WHERE requested_at_ms >= ${base} AND requested_at_ms < ${base + RUN_SPAN_MS}
GROUP BY request_id ORDER BY first_ms`,
        );
        expect(stored.map((row) => row.request_id)).toEqual(requests.map((item) => item.id));
        stored.forEach((column, index) => {
          const item = items[index]!;
          const retrain = requests[index]!;
          expectStored(column.model as string, retrain.model, "model");
          expectStored(column.source as string, retrain.source, "source");
          expectStored(column.reason as string, retrain.reason, "reason");
          expectStored(column.episode as string, item.episode, "episode");
          expectStoredArray(column.actions as string[], retrain.actions, "actions");
          expect(column.status).toBe(item.status?.[0] ?? "claimed");
          expectStored(column.detail as string, item.status?.[1] ?? "", "detail");
          expectStored(column.payload as string, JSON.stringify(retrain), "payload");
        });
        // Claimed and never finished: resumed with the request exactly as it was sent.
        expect(await store.unfinished(base)).toEqual(
          items.flatMap((item, index) =>
            item.status === null
              ? [{ request: viaJson(requests[index]!), episode: storedText(item.episode) }]
              : [],
          ),
        );
      }),
      { seed: 9_001, numRuns: 25 },
    );
  });
});

/** A prediction row holding the generated strings, positioned by `index` in a run at `base`. */
function rowOf(
  fields: {
    model: string;
    model_version: string;
    event_id: string;
    num_names: string[];
    cat: [string, string][];
    missing_names: string[];
    prediction: string | null;
    label: string | null;
    kafka_topic: string;
  },
  index: number,
  base: number,
): PredictionRow {
  return {
    model: fields.model,
    model_version: fields.model_version,
    event_id: fields.event_id,
    // One second per row: no two rows share a sorting key a merge could collapse.
    ts: Math.floor(base / 1000) + index,
    ts_ms: (index * 37) % 1000,
    num_names: fields.num_names,
    num_values: fields.num_names.map((_, position) => position - 0.25),
    cat_names: fields.cat.map(([name]) => name),
    cat_values: fields.cat.map(([, value]) => value),
    missing_names: fields.missing_names,
    prediction: fields.prediction,
    prediction_value: fields.prediction === null ? null : index / 4,
    label: fields.label,
    label_value: fields.label === null ? null : -1.5 * index - 1,
    kafka_topic: fields.kafka_topic,
    kafka_partition: index,
    kafka_offset: base + index,
    ingested_at: Math.floor(base / 1000),
  };
}
