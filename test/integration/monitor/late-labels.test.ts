// Labels that arrive after their window was evaluated re-evaluate that window (and only it):
// its performance rows change and an injected concept drift shows as accuracy decay (degraded).
// Late labels of a fixed reference's own rows reach its cached profile too. Between the hourly
// full counts, passes find late labels from the labels ingested since the previous pass.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import { configFor, insertEvents, migrate, monitorFor } from "../../support/monitor.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

const MODELS = `  - name: labelled
    task: binary
    interval: 1h
    minRows: 50
    labelDelay: 1h
`;

for (const engineUnderTest of ENGINES) {
  describe(`late labels on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor_labels");
    const config = configFor(database, MODELS);
    const clock = { now: DATA_START };

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      // Reference rows carry their labels (prediction sigmoid(x), label x > 0: all correct).
      await insertEvents(engine, database, {
        model: "labelled",
        from: DATA_START,
        to: DATA_START + 4 * HOUR,
        rows: 2000,
        seed: 1,
        labelled: true,
      });
      await insertEvents(engine, database, {
        model: "labelled",
        from: DATA_START + 4 * HOUR,
        to: DATA_START + 5 * HOUR,
        rows: 400,
        seed: 2,
      });
      await insertEvents(engine, database, {
        model: "labelled",
        from: DATA_START + 5 * HOUR,
        to: DATA_START + 6 * HOUR,
        rows: 400,
        seed: 3,
      });
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    const performance = async () => {
      const rows = await engine.query<{ metric: string; latest: number; labelled: number }>(
        sql`SELECT metric, argMax(value, computed_at) AS latest,
    argMax(n_labelled, computed_at) AS labelled
  FROM ${tableRef(database, "performance_results")}
  WHERE model = 'labelled' AND window_start = toDateTime(${(DATA_START + 4 * HOUR) / 1000})
  GROUP BY metric`,
      );
      return new Map(rows.map((row) => [row.metric, row]));
    };

    it("re-evaluates the window its late labels belong to, and finds the decay", async () => {
      const monitor = monitorFor(config, engine, clock);
      await monitor.setReference(
        "labelled",
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );
      clock.now = DATA_START + 6 * HOUR + 1000;
      const first = await monitor.tick();
      expect(first.map((s) => (s.windowStart - DATA_START) / HOUR)).toEqual([0, 1, 2, 3, 4, 5]);
      const before = await performance();
      expect(before.get("label_coverage")?.latest).toBe(0);
      expect(before.has("accuracy")).toBe(false);
      expect((await monitor.status("labelled")).state).toBe("ok");

      // Labels arrive hours late — and they disagree with the model (concept drift).
      await engine.command(sql`INSERT INTO ${tableRef(database, "labels")}
  SELECT model, event_id, toNullable(toString(prediction_value <= 0.5)),
    toNullable(toFloat64(prediction_value <= 0.5)), ts, 'labels', 0, kafka_offset, now()
  FROM ${tableRef(database, "predictions")}
  WHERE model = 'labelled' AND ts >= toDateTime(${(DATA_START + 4 * HOUR) / 1000})
    AND ts < toDateTime(${(DATA_START + 5 * HOUR) / 1000})`);
      clock.now = DATA_START + 9 * HOUR;
      const second = await monitor.tick();
      // 4: its labels arrived; 5: its label delay passed; 6–8: new (no events: a dead producer).
      expect(second.map((s) => [(s.windowStart - DATA_START) / HOUR, s.rows])).toEqual([
        [4, 400],
        [5, 400],
        [6, 0],
        [7, 0],
        [8, 0],
      ]);
      const after = await performance();
      expect(after.get("label_coverage")?.latest).toBe(1);
      expect(after.get("accuracy")?.latest).toBeLessThan(0.05);
      expect(Number(after.get("accuracy")?.labelled)).toBe(400);
      const status = await monitor.status("labelled");
      expect(status.state).toBe("degraded");
      expect(status.reasons.join("\n")).toMatch(/accuracy .* vs reference 1\.000/);

      expect(await monitor.tick()).toEqual([]);
      await monitor.stop();
    });

    it("a fixed reference's late labels reach the cached reference", async () => {
      const monitor = monitorFor(config, engine, clock);
      // Reference rows without labels; window rows carry theirs.
      await insertEvents(engine, database, {
        model: "late-ref",
        from: DATA_START,
        to: DATA_START + 4 * HOUR,
        rows: 800,
        seed: 11,
      });
      await insertEvents(engine, database, {
        model: "late-ref",
        from: DATA_START + 4 * HOUR,
        to: DATA_START + 5 * HOUR,
        rows: 300,
        seed: 12,
        labelled: true,
      });
      await monitor.setReference(
        "late-ref",
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
        { name: "test" },
      );
      const window = { from: DATA_START + 4 * HOUR, to: DATA_START + 5 * HOUR };
      const accuracy = async () => {
        const rows = await engine.query<{ n: number; value: number; reference_value: number }>(
          sql`SELECT count() AS n, argMax(value, computed_at) AS value,
    argMax(reference_value, computed_at) AS reference_value
  FROM ${tableRef(database, "performance_results")}
  WHERE model = 'late-ref' AND metric = 'accuracy'`,
        );
        return rows[0];
      };
      await monitor.evaluate("late-ref", { name: "test" }, window);
      expect(Number((await accuracy())?.n)).toBe(0);

      // The reference's labels arrive late: half of them disagree with the model.
      await engine.command(sql`INSERT INTO ${tableRef(database, "labels")}
  SELECT model, event_id, toNullable(toString((prediction_value > 0.5) != (kafka_offset % 2 = 0))),
    toNullable(toFloat64((prediction_value > 0.5) != (kafka_offset % 2 = 0))), ts, 'labels', 0,
    kafka_offset, now()
  FROM ${tableRef(database, "predictions")}
  WHERE model = 'late-ref' AND ts < toDateTime(${(DATA_START + 4 * HOUR) / 1000})`);
      await monitor.evaluate("late-ref", { name: "test" }, window);
      const after = await accuracy();
      expect(after?.value).toBe(1);
      expect(after?.reference_value).toBeCloseTo(0.5, 1);
      await monitor.stop();
    });

    it("between full counts, a pass finds the windows of newly ingested labels", async () => {
      const incremental = configFor(
        database,
        `  - name: incremental
    task: binary
    interval: 1h
    minRows: 50
    labelDelay: 0s
`,
      );
      const passClock = { now: DATA_START + 3 * HOUR + 1000 };
      const monitor = monitorFor(incremental, engine, passClock);
      for (let hour = 0; hour < 3; hour++) {
        await insertEvents(engine, database, {
          model: "incremental",
          from: DATA_START + hour * HOUR,
          to: DATA_START + (hour + 1) * HOUR,
          rows: 200,
          seed: 20 + hour,
          labelled: hour === 0,
        });
      }
      await monitor.setReference(
        "incremental",
        "1",
        { kind: "fixed", from: DATA_START, to: DATA_START + HOUR },
        { name: "test" },
      );
      // Other tests' models have references in this database too: only this model counts.
      const hours = (summaries: { model: string; windowStart: number }[]) =>
        summaries
          .filter((summary) => summary.model === "incremental")
          .map((summary) => (summary.windowStart - DATA_START) / HOUR);
      expect(hours(await monitor.tick())).toEqual([0, 1, 2]);
      const labelWindow = async (hour: number, stampedSecondsAgo: number) =>
        engine.command(sql`INSERT INTO ${tableRef(database, "labels")}
  SELECT model, event_id, toNullable(toString(prediction_value > 0.5)),
    toNullable(toFloat64(prediction_value > 0.5)), ts, 'labels', 0, kafka_offset,
    now() - ${stampedSecondsAgo}
  FROM ${tableRef(database, "predictions")}
  WHERE model = 'incremental' AND ts >= toDateTime(${(DATA_START + hour * HOUR) / 1000})
    AND ts < toDateTime(${(DATA_START + (hour + 1) * HOUR) / 1000})`);

      // Half a minute later: labels for window 1 arrive; only that window is due.
      await labelWindow(1, 0);
      passClock.now += 30_000;
      expect(hours(await monitor.tick())).toEqual([1]);
      expect(hours(await monitor.tick())).toEqual([]);

      // A batch stamped a day before it was inserted (a long outage) escapes the passes in
      // between and is found by the next full count, at most an hour later.
      await labelWindow(2, 86_400);
      passClock.now += 30_000;
      const soon = hours(await monitor.tick());
      passClock.now += HOUR;
      const later = hours(await monitor.tick());
      // (Window 3 became complete meanwhile: new, not relabelled.)
      expect([...soon, ...later].filter((hour) => hour < 3)).toEqual([2]);
      await monitor.stop();
    });
  });
}
