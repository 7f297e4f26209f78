// Performance estimated before labels arrive, in the service: a binary model whose reference
// carries labels drawn from its (calibrated) scores; three later windows without labels, the last
// two with a case mix of less confident rows, so accuracy falls. Every window gets estimated rows
// with bands, the `performance_estimated` rule fires through the alert engine and its webhook,
// status says "estimated"; then the labels land, realized rows appear beside the estimates and
// fall inside their bands, and status turns to the realized decay.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertEngine } from "../../../alerts/engine/alert-engine.js";
import { ManualClock } from "../../../alerts/time/manual-clock.js";
import { dropDatabase, raw, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR, T0 } from "../../support/clock.js";
import { alertsConfig } from "../../support/config.js";
import { createMetricsRegistry } from "../../../src/metrics/index.js";
import { createMonitor } from "../../../src/monitor/index.js";
import { configFor, migrate } from "../../support/monitor.js";
import { HttpReceiver } from "../../support/peers.js";
import { ENGINES, testLogger, uniqueDatabase } from "../../support/stack.js";
import { runUntil } from "../alerts/drive.js";

const MODEL = "estimated";
const MODELS = `  - name: ${MODEL}
    task: binary
    interval: 1h
    minRows: 50
    labelDelay: 0s
`;
const ROWS = 1500;

/** A uniform in (0, 1) from one hash of `key`. */
const uniform = (key: string) =>
  `((intHash64(${key}) % 9007199254740992 + 0.5) / 9007199254740992)`;
/** The label draw of an event: seed·10⁷ + its row number (= kafka_offset). */
const labelDraw = (seed: number, row: string) => uniform(`(${seed * 10_000_000} + ${row}) * 4 + 2`);

/**
 * Events with x ~ N(0, spread), prediction p = sigmoid(2x) (exact probabilities) and, when
 * `labelled`, the label drawn from p on the event: the larger the spread, the more confident the
 * case mix and the higher the accuracy.
 */
async function insertScored(
  engine: SqlEngine,
  database: string,
  batch: { hour: number; hours: number; seed: number; spread: number; labelled: boolean },
): Promise<void> {
  const from = Math.floor((DATA_START + batch.hour * HOUR) / 1000);
  const span = batch.hours * 3600;
  const rows = ROWS * batch.hours;
  const key = (stream: number) => `(${batch.seed * 10_000_000} + number) * 4 + ${stream}`;
  const label = batch.labelled
    ? `toNullable(toString(toUInt8(draw < p))), toNullable(toFloat64(draw < p))`
    : `CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(Float64))`;
  await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  (model, model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
   missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
   kafka_offset, ingested_at)
  SELECT ${MODEL}, '1', concat(${String(batch.seed)}, '-', toString(number)),
    toDateTime(${from} + intDiv(number * ${span}, ${rows})), 0, ['x'], [x],
    CAST([] AS Array(String)), CAST([] AS Array(String)), CAST([] AS Array(String)),
    toNullable(toString(p)), toNullable(p), ${raw(label)}, 'test', 0, number, now()
  FROM (SELECT number, x, 1 / (1 + exp(-2 * x)) AS p, draw
    FROM (SELECT number, ${batch.spread} * sqrt(-2 * log(${raw(uniform(key(0)))}))
        * cos(2 * pi() * ${raw(uniform(key(1)))}) AS x, ${raw(labelDraw(batch.seed, "number"))} AS draw
      FROM numbers(${rows})))`);
}

/** The labels of a batch's events arrive (drawn from their scores as on the event). */
async function labelsArrive(engine: SqlEngine, database: string, seed: number): Promise<void> {
  const draw = labelDraw(seed, "kafka_offset");
  await engine.command(sql`INSERT INTO ${tableRef(database, "labels")}
  SELECT model, event_id, toNullable(toString(toUInt8(${raw(draw)} < prediction_value))),
    toNullable(toFloat64(${raw(draw)} < prediction_value)), ts, 'labels', 0, kafka_offset, now()
  FROM ${tableRef(database, "predictions")}
  WHERE model = ${MODEL} AND startsWith(event_id, ${`${seed}-`})`);
}

interface Row {
  hour: number;
  metric: string;
  value: number;
  reference: number;
  labelled: number;
  bandLower: number;
  bandUpper: number;
  thresholdLower: number;
  thresholdUpper: number;
  alert: number;
}

async function performanceRows(engine: SqlEngine, database: string): Promise<Row[]> {
  const rows = await engine.query<Record<string, number | string>>(
    sql`SELECT toUInt32(window_start) AS ws, metric,
    argMax(value, computed_at) AS v, argMax(reference_value, computed_at) AS r,
    argMax(n_labelled, computed_at) AS n, argMax(band_lower, computed_at) AS bl,
    argMax(band_upper, computed_at) AS bu, argMax(threshold_lower, computed_at) AS tl,
    argMax(threshold_upper, computed_at) AS tu, argMax(alert, computed_at) AS a
  FROM ${tableRef(database, "performance_results")} WHERE model = ${MODEL}
  GROUP BY ws, metric ORDER BY ws, metric`,
  );
  const num = (value: number | string | null | undefined) =>
    value === null || value === undefined ? Number.NaN : Number(value);
  return rows.map((row) => ({
    hour: (Number(row.ws) * 1000 - DATA_START) / HOUR,
    metric: String(row.metric),
    value: num(row.v),
    reference: num(row.r),
    labelled: num(row.n),
    bandLower: num(row.bl),
    bandUpper: num(row.bu),
    thresholdLower: num(row.tl),
    thresholdUpper: num(row.tu),
    alert: num(row.a),
  }));
}

const ESTIMATED = ["roc_auc", "accuracy", "precision", "recall", "f1"];

for (const engineUnderTest of ENGINES) {
  describe(`performance estimated before labels on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor_estimate");
    const receiver = new HttpReceiver();

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      await receiver.start();
      // Reference: 4 labelled hours of a confident case mix.
      await insertScored(engine, database, {
        hour: 0,
        hours: 4,
        seed: 1,
        spread: 1.5,
        labelled: true,
      });
      // Hour 4: the same case mix; hours 5 and 6: far less confident rows. No labels yet.
      await insertScored(engine, database, {
        hour: 4,
        hours: 1,
        seed: 2,
        spread: 1.5,
        labelled: false,
      });
      for (const hour of [5, 6]) {
        await insertScored(engine, database, {
          hour,
          hours: 1,
          seed: hour - 2,
          spread: 0.3,
          labelled: false,
        });
      }
    });

    afterAll(async () => {
      await receiver.stop();
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("estimates every window before its labels, alerts, and meets the realized values", async () => {
      const clock = new ManualClock(T0);
      const alerts = new AlertEngine({
        config: alertsConfig({
          route: { receivers: ["hooks"], groupWait: "10s", groupInterval: "1m" },
          receivers: [{ name: "hooks", webhook: { url: `${receiver.url}/alerts` } }],
          rules: [
            {
              name: "accuracy-probably-falling",
              result: "performance_estimated",
              metric: "estimated_accuracy",
            },
          ],
        }),
        clock,
        store: { engine, database },
        random: () => 0.5,
      });
      await alerts.start({ loop: false });
      const monitorClock = { now: DATA_START + 7 * HOUR + 1000 };
      // The monitor's evaluated windows reach the alert engine as src/service wires them.
      const monitor = createMonitor({
        config: configFor(database, MODELS),
        engine,
        registry: createMetricsRegistry(),
        logger: testLogger("estimate"),
        now: () => monitorClock.now,
        sink: { window: (batch) => void alerts.processBatch(batch), health: () => undefined },
      });
      await monitor.setReference(
        MODEL,
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );

      // 1. No labels in the current windows: estimates only.
      const first = await monitor.tick();
      expect(first.map((s) => (s.windowStart - DATA_START) / HOUR)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      const before = await performanceRows(engine, database);
      for (const hour of [4, 5, 6]) {
        const metrics = before.filter((row) => row.hour === hour).map((row) => row.metric);
        expect(metrics.sort(), `hour ${hour}`).toEqual(
          ["label_coverage", ...ESTIMATED.map((metric) => `estimated_${metric}`)].sort(),
        );
      }
      const estimate = (hour: number, metric: string) =>
        before.find((row) => row.hour === hour && row.metric === `estimated_${metric}`)!;
      for (const hour of [4, 5, 6]) {
        for (const metric of ESTIMATED) {
          const row = estimate(hour, metric);
          expect(row.labelled).toBe(0);
          expect(row.bandLower).toBeLessThan(row.value);
          expect(row.bandUpper).toBeGreaterThan(row.value);
          expect(row.thresholdLower).toBeLessThan(row.reference);
          expect(row.thresholdUpper).toBeGreaterThan(row.reference);
        }
      }
      // The unchanged case mix stays inside the reference's band; the shifted one falls below.
      expect(estimate(4, "accuracy").alert).toBe(0);
      expect(estimate(4, "accuracy").value).toBeGreaterThan(estimate(4, "accuracy").thresholdLower);
      for (const hour of [5, 6]) {
        const row = estimate(hour, "accuracy");
        expect(row.alert).toBe(1);
        expect(row.value).toBeLessThan(row.thresholdLower);
        expect(row.value).toBeLessThan(0.7);
        expect(row.reference).toBeGreaterThan(0.75);
      }

      const status = await monitor.status(MODEL);
      expect(status.state).toBe("degraded");
      expect(status.reasons.join("\n")).toMatch(
        /^estimated accuracy 0\.\d{3} below its reference band \[0\.\d{3}, 0\.\d{3}\] \(labels not yet in\)$/m,
      );

      const firing = alerts.listAlerts(["firing"]);
      expect(firing.map((alert) => [alert.labels.kind, alert.labels.metric])).toEqual([
        ["performance_estimated", "estimated_accuracy"],
      ]);
      await runUntil(alerts, clock, T0 + 60_000);
      const delivered = receiver.requests.map(
        (request) =>
          JSON.parse(request.body) as {
            status: string;
            alerts: { labels: Record<string, string>; value?: number }[];
          },
      );
      expect(delivered.map((body) => body.status)).toEqual(["firing"]);
      expect(delivered[0]!.alerts[0]!.labels.metric).toBe("estimated_accuracy");

      // 2. The labels land: realized rows appear beside the estimates, inside their bands.
      for (const seed of [2, 3, 4]) await labelsArrive(engine, database, seed);
      monitorClock.now += 10 * 60_000;
      const second = await monitor.tick();
      expect(second.map((s) => (s.windowStart - DATA_START) / HOUR)).toEqual([4, 5, 6]);
      const after = await performanceRows(engine, database);
      const value = (hour: number, metric: string) =>
        after.find((row) => row.hour === hour && row.metric === metric)!;
      for (const hour of [4, 5, 6]) {
        expect(value(hour, "label_coverage").value).toBe(1);
        expect(value(hour, "accuracy").labelled).toBe(ROWS);
        for (const metric of ESTIMATED) {
          const realized = value(hour, metric);
          const estimated = value(hour, `estimated_${metric}`);
          expect(realized.value, `${metric} hour ${hour}`).toBeGreaterThanOrEqual(
            estimated.bandLower,
          );
          expect(realized.value, `${metric} hour ${hour}`).toBeLessThanOrEqual(estimated.bandUpper);
          expect(Number.isNaN(realized.bandLower)).toBe(true);
          expect(realized.alert).toBe(0);
        }
        expect(
          Math.abs(value(hour, "accuracy").value - value(hour, "estimated_accuracy").value),
        ).toBeLessThan(0.04);
      }
      const realizedStatus = await monitor.status(MODEL);
      expect(realizedStatus.state).toBe("degraded");
      expect(realizedStatus.reasons.join("\n")).toMatch(/^accuracy 0\.\d{3} vs reference/m);
      expect(realizedStatus.reasons.join("\n")).not.toMatch(/estimated/);

      await monitor.stop();
      await alerts.stop();
    });
  });
}
