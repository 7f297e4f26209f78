// The binned path's server-side counts equal detectors' binCounts bin for bin — through the grid
// search (ordinary features) and the block search (a heavy tail crowding the grid), including
// values equal to an edge — and a window is read without per-event deduplication only when no
// event is stored twice; on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binCounts, fineQuantileEdges, sortFloat64 } from "../../../detectors/index.js";
import { predictionsSource as sourceOf } from "../../../src/monitor/row-source.js";
import { binSearch, numericHistograms } from "../../../src/monitor/server-histograms.js";
import { settleSource } from "../../../src/monitor/window-data.js";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import { insertEvents, migrate } from "../../support/monitor.js";
import { ENGINES, uniqueDatabase } from "../../support/stack.js";

for (const engineUnderTest of ENGINES) {
  describe(`server-side fine-bin counts on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor_bins");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      await insertEvents(engine, database, {
        model: "raw",
        from: DATA_START,
        to: DATA_START + HOUR,
        rows: 3000,
        seed: 5,
      });
      // Ties: y rounded to one decimal, so many values sit exactly on an edge; z = e^(6x), a tail
      // heavy enough to crowd a uniform grid (block search); w = round(x), few distinct values.
      await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT 'm', model_version, event_id, ts, ts_ms, ['x', 'y', 'z', 'w'],
    [num_values[1], round(num_values[2], 1), exp(6 * num_values[1]), round(num_values[1])],
    cat_names, cat_values, missing_names, prediction,
    prediction_value, label, label_value, kafka_topic, kafka_partition, kafka_offset, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE model = 'raw'`);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("counts every fine bin exactly as binCounts does", async () => {
      const source = sourceOf(database, "m", "1", DATA_START, DATA_START + HOUR);
      const rows = await engine.query<{ x: number; y: number; z: number; w: number }>(
        sql`SELECT num_values[1] AS x, num_values[2] AS y, num_values[3] AS z, num_values[4] AS w
  FROM ${source.subquery}`,
      );
      const requests = (["x", "y", "z", "w"] as const).map((feature) => {
        const values = Float64Array.from(rows, (row) => row[feature]);
        const sorted = sortFloat64(Float64Array.from(values));
        // Edges from a subsample, so some fall on values and some between them.
        const edges = fineQuantileEdges(
          sorted.filter((_, i) => i % 3 === 0),
          100,
        );
        return { feature, edges, range: { min: -1, max: 1 }, values };
      });
      const withAbsent = [...requests, { ...requests[0]!, feature: "absent" as const }];
      expect(requests.map((request) => binSearch(request))).toEqual([
        "grid",
        "grid",
        "blocks",
        "grid",
      ]);
      const histograms = await numericHistograms(engine, source, withAbsent);
      for (const request of requests) {
        const histogram = histograms.get(request.feature)!;
        expect(Array.from(histogram.counts)).toEqual(
          Array.from(binCounts(request.values, request.edges)),
        );
        expect(histogram.n).toBe(rows.length);
        expect(histogram.min).toBe(Math.min(...request.values));
        expect(histogram.max).toBe(Math.max(...request.values));
        expect(histogram.outsideRange).toBe(request.values.filter((v) => v < -1 || v > 1).length);
      }
      expect(histograms.has("absent")).toBe(false);
    });

    it("reads a window as it is stored only when no event in it is stored twice", async () => {
      const clean = await settleSource(
        engine,
        sourceOf(database, "m", "1", DATA_START, DATA_START + HOUR),
      );
      expect(clean.rows).toBe(3000);
      expect(clean.source.subquery.text).not.toContain("LIMIT 1 BY");

      // Ten events of model "m" sent again (as a redelivery after a crash would).
      await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT 'dup', model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
    missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
    kafka_offset, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE model = 'm' AND kafka_offset < 10`);
      await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT 'dup', model_version, event_id, ts, ts_ms, num_names, num_values, cat_names, cat_values,
    missing_names, prediction, prediction_value, label, label_value, kafka_topic, kafka_partition,
    kafka_offset, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE model = 'm'`);
      const resent = await settleSource(
        engine,
        sourceOf(database, "dup", "1", DATA_START, DATA_START + HOUR),
      );
      expect(resent.rows).toBe(3000);
      expect(resent.source.subquery.text).toContain("LIMIT 1 BY");
      const edges = [-1, 0, 1];
      const histograms = await numericHistograms(engine, resent.source, [
        { feature: "x", edges, range: { min: -1, max: 1 } },
      ]);
      expect(histograms.get("x")!.n).toBe(3000);
    });
  });
}
