// The binned path's server-side counts equal detectors' binCounts bin for bin (two-level search
// over the reference's fine edges), including values equal to an edge, on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binCounts, fineQuantileEdges, sortFloat64 } from "../../../detectors/index.js";
import { predictionsSource } from "../../../src/monitor/row-source.js";
import { numericHistograms } from "../../../src/monitor/window-data.js";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { ENGINES, uniqueDatabase } from "../store/engines.js";
import { HOUR, insertEvents, migrate, T0 } from "./support.js";

for (const engineUnderTest of ENGINES) {
  describe(`server-side fine-bin counts on ${engineUnderTest.name}`, () => {
    let engine: SqlEngine;
    const database = uniqueDatabase("monitor_bins");

    beforeAll(async () => {
      engine = await engineUnderTest.open();
      await migrate(engine, database);
      await insertEvents(engine, database, {
        model: "raw",
        from: T0,
        to: T0 + HOUR,
        rows: 3000,
        seed: 5,
      });
      // Ties: y rounded to one decimal, so many values sit exactly on an edge.
      await engine.command(sql`INSERT INTO ${tableRef(database, "predictions")}
  SELECT 'm', model_version, event_id, ts, ts_ms, num_names,
    [num_values[1], round(num_values[2], 1)], cat_names, cat_values, missing_names, prediction,
    prediction_value, label, label_value, kafka_topic, kafka_partition, kafka_offset, ingested_at
  FROM ${tableRef(database, "predictions")} WHERE model = 'raw'`);
    });

    afterAll(async () => {
      await dropDatabase(engine, database);
      await engine.close();
    });

    it("counts every fine bin exactly as binCounts does", async () => {
      const source = predictionsSource(database, "m", "1", T0, T0 + HOUR);
      const rows = await engine.query<{ x: number; y: number }>(
        sql`SELECT num_values[1] AS x, num_values[2] AS y FROM ${source.subquery}`,
      );
      const requests = (["x", "y"] as const).map((feature) => {
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
      const histograms = await numericHistograms(engine, source, withAbsent);
      for (const request of requests.slice(0, 2)) {
        const histogram = histograms.get(request.feature)!;
        expect(Array.from(histogram.counts)).toEqual(
          Array.from(binCounts(request.values, request.edges)),
        );
        expect(histogram.n).toBe(rows.length);
        expect(histogram.min).toBe(Math.min(...request.values));
        expect(histogram.outsideRange).toBe(request.values.filter((v) => v < -1 || v > 1).length);
      }
      expect(histograms.has("absent")).toBe(false);
    });
  });
}
