// A stored reference larger than the model's reference.maxRows is summarised from a deterministic
// sample of its events (by event-id hash): about maxRows rows, the same ones on every load, while
// the expected volume of a window still comes from all of the reference's rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sortFloat64 } from "../../../detectors/index.js";
import { ReferenceProfiles } from "../../../src/monitor/reference-profile.js";
import { predictionsSource } from "../../../src/monitor/row-source.js";
import { dropDatabase, sql, tableRef, type SqlEngine } from "../../../src/store/index.js";
import { DATA_START, HOUR } from "../../support/clock.js";
import {
  configFor,
  driftResults,
  insertEvents,
  migrate,
  monitorFor,
} from "../../support/monitor.js";
import { serverEngine, uniqueDatabase } from "../../support/stack.js";

describe("references larger than maxRows", () => {
  let engine: SqlEngine;
  const database = uniqueDatabase("monitor_sample");

  beforeAll(async () => {
    engine = serverEngine();
    await migrate(engine, database);
    await insertEvents(engine, database, {
      model: "big",
      from: DATA_START,
      to: DATA_START + 4 * HOUR,
      rows: 6000,
      seed: 41,
    });
    await insertEvents(engine, database, {
      model: "big",
      from: DATA_START + 4 * HOUR,
      to: DATA_START + 5 * HOUR,
      rows: 1500,
      seed: 42,
    });
  });

  afterAll(async () => {
    await dropDatabase(engine, database);
    await engine.close();
  });

  it("summarises a deterministic sample of about maxRows events", async () => {
    const source = predictionsSource(database, "big", "1", DATA_START, DATA_START + 4 * HOUR);
    const options = { categoricalNumbers: [], maxRows: 1500, values: true, lasting: false };
    const first = await new ReferenceProfiles(engine, database).load("k", source, HOUR, options);
    const again = await new ReferenceProfiles(engine, database).load("k", source, HOUR, options);
    expect(first.storedRows).toBe(6000);
    expect(first.rows).toBeGreaterThan(1200);
    expect(first.rows).toBeLessThan(1800);
    expect(Array.from(again.numeric.get("x")!.sorted!)).toEqual(
      Array.from(first.numeric.get("x")!.sorted!),
    );
    // Exactly the events whose hash bucket falls in the first quarter of the buckets.
    const sampled = await engine.query<{ x: number }>(
      sql`SELECT num_values[1] AS x FROM ${tableRef(database, "predictions")}
  WHERE model = 'big' AND ts < toDateTime(${(DATA_START + 4 * HOUR) / 1000})
    AND cityHash64(event_id) % 1000000 < 250000`,
    );
    expect(Array.from(first.numeric.get("x")!.sorted!)).toEqual(
      Array.from(sortFloat64(Float64Array.from(sampled, (row) => row.x))),
    );
    const whole = await new ReferenceProfiles(engine, database).load("k", source, HOUR, {
      categoricalNumbers: [],
      maxRows: 6000,
      values: true,
      lasting: false,
    });
    expect(whole.rows).toBe(6000);
  });

  it("judges a window against the sample and its volume against all reference rows", async () => {
    const config = configFor(
      database,
      `  - name: big
    interval: 1h
    minRows: 50
    reference: {maxRows: 1500}
`,
    );
    const monitor = monitorFor(config, engine, { now: DATA_START + 5 * HOUR + 1000 });
    await monitor.setReference(
      "big",
      "1",
      { kind: "fixed", from: DATA_START, to: DATA_START + 4 * HOUR },
      { name: "test" },
    );
    await monitor.evaluate(
      "big",
      { name: "test" },
      { from: DATA_START + 4 * HOUR, to: DATA_START + 5 * HOUR },
    );
    const rows = await driftResults(engine, database, "big");
    const figure = (feature: string, metric: string) =>
      rows.find((row) => row.feature === feature && row.metric === metric)?.value;
    // 6000 reference rows over 4 hours: 1500 expected per hour, 1500 seen.
    expect(figure("_dataset", "volume_ratio")).toBeCloseTo(1, 9);
    expect(figure("x", "wasserstein_normed")).toBeLessThan(0.1);
    await monitor.stop();
  });
});
