// Data of the cluster scenario (cluster-scale-out.test.ts): seeded prediction events, four quiet
// reference hours and one drifted hour with labels, and the export of stored rows to the CSV
// files `driftwatch check` reads.
import { writeFileSync } from "node:fs";
import type { OutgoingRecord } from "../../src/kafka/index.js";
import { ident, join as joinSql, sql, tableRef } from "../../src/store/index.js";

export const CHECK_FEATURES = { numeric: ["x", "z"], categorical: ["region"] } as const;

const REGIONS = ["EU", "US", "APAC", "LATAM"];
/** The reference's region mix and the drifted hour's. */
const MIX = { reference: [0.4, 0.3, 0.2, 0.1], window: [0.2, 0.3, 0.2, 0.3] };

interface Range {
  readonly from: number;
  readonly to: number;
}

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick(uniform: number, weights: readonly number[]): string {
  let sum = 0;
  for (let k = 0; k < weights.length; k++) {
    sum += weights[k]!;
    if (uniform < sum) return REGIONS[k]!;
  }
  return REGIONS[REGIONS.length - 1]!;
}

/**
 * `count` events keyed by event_id: 80 % spread over the reference hours, 20 % over the window,
 * where x has moved by one σ and the region mix has changed. Each has a score (`prediction`) and
 * a 0/1 label drawn from it, so the window's realized performance is defined.
 */
export function clusterEvents(
  model: string,
  count: number,
  ranges: { readonly reference: Range; readonly window: Range },
): OutgoingRecord[] {
  const random = seeded(15);
  const referenceCount = Math.round(count * 0.8);
  return Array.from({ length: count }, (_, i) => {
    const inWindow = i >= referenceCount;
    const range = inWindow ? ranges.window : ranges.reference;
    const k = inWindow ? i - referenceCount : i;
    const n = inWindow ? count - referenceCount : referenceCount;
    const timestamp = range.from + Math.floor(((range.to - range.from) * k) / n);
    const normal =
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()) +
      (inWindow ? 1 : 0);
    const z = random();
    const region = pick(random(), inWindow ? MIX.window : MIX.reference);
    const score = 1 / (1 + Math.exp(-(1.3 * normal + z - 0.8)));
    const label = random() < score ? 1 : 0;
    const id = `cl-${i}`;
    return {
      key: id,
      value: JSON.stringify({
        event_id: id,
        model,
        model_version: "1",
        timestamp,
        features: { x: Number(normal.toFixed(6)), z: Number(z.toFixed(6)), region },
        prediction: Number(score.toFixed(6)),
        label,
      }),
    };
  });
}

export interface ExportSelection {
  readonly url: string;
  readonly database: string;
  readonly model: string;
  readonly from: number;
  readonly to: number;
  /** Add the label column (for `check --task`; as a drift column check would compare it). */
  readonly withLabel?: boolean;
}

/**
 * The stored events of `model` with from ≤ ts < to, each event_id once, as a CSV file with one
 * column per feature and `prediction` (and `label`). Returns the number of rows written.
 */
export async function exportCsv(selection: ExportSelection, file: string): Promise<number> {
  const numeric = CHECK_FEATURES.numeric.map(
    (name) =>
      sql`if(has(num_names, ${name}), num_values[indexOf(num_names, ${name})], NULL) AS ${ident(name)}`,
  );
  const categorical = CHECK_FEATURES.categorical.map(
    (name) =>
      sql`if(has(cat_names, ${name}), cat_values[indexOf(cat_names, ${name})], NULL) AS ${ident(name)}`,
  );
  const extra = selection.withLabel === true ? sql`, label_value AS label` : sql``;
  const query = sql`SELECT ${joinSql([...numeric, ...categorical])},
    prediction_value AS prediction${extra}
  FROM (SELECT * FROM ${tableRef(selection.database, "predictions")}
    WHERE model = ${selection.model}
      AND ts >= toDateTime(${selection.from / 1000}) AND ts < toDateTime(${selection.to / 1000})
    ORDER BY event_id LIMIT 1 BY event_id)
  FORMAT CSVWithNames`;
  const response = await fetch(selection.url, { method: "POST", body: query.text });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`export failed: ${response.status} ${text}`);
  const csv = text.replace(/(^|,)\\N(?=,|$)/gm, "$1");
  writeFileSync(file, csv);
  return csv.trim().split("\n").length - 1;
}
