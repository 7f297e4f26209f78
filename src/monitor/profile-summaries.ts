// Reference profiles kept in ClickHouse (`reference_profiles`, migration 10): the summaries the
// binned path compares with — per numeric feature its fine and decile edges, fine-bin counts,
// range and std; per categorical feature its counts — so a new process (a restart, a new
// evaluator) evaluates a window without pulling the reference's rows again. Only lasting
// references are kept (fixed ranges and uploaded datasets; a rolling reference moves with every
// window), under a key that also names the reference's rows (their count and the XOR of their
// event-id hashes), so rows added to or removed from a fixed range make a new summary.
// A summary that cannot be read back (another version's, or damaged) is ignored: the profile is
// computed from the rows as before.
import type { Logger } from "../util/index.js";
import { sql, tableRef, type SqlEngine } from "../store/index.js";

const FORMAT = 1;

/** JSON has no −0: it travels as the string "-0" (an edge of −0 is kept as it was computed). */
const toJson = (values: ArrayLike<number>) =>
  Array.from(values, (value) => (Object.is(value, -0) ? "-0" : value));
const fromJson = (value: unknown): number => {
  if (value === "-0") return -0;
  if (typeof value !== "number") throw new Error(`not a number: ${String(value)}`);
  return value;
};

export interface NumericSummary {
  /** Rows with a value. */
  readonly n: number;
  readonly decileEdges: Float64Array;
  readonly fineEdges: Float64Array;
  readonly fineCounts: Float64Array;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface ProfileSummary {
  readonly rows: number;
  readonly storedRows: number;
  readonly numeric: ReadonlyMap<string, NumericSummary>;
  readonly categorical: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export function encodeSummary(summary: ProfileSummary): string {
  return JSON.stringify({
    format: FORMAT,
    rows: summary.rows,
    storedRows: summary.storedRows,
    // Arrays of pairs, not objects: feature and category names are free text ("__proto__" too).
    numeric: [...summary.numeric].map(([name, feature]) => [
      name,
      {
        n: feature.n,
        decileEdges: toJson(feature.decileEdges),
        fineEdges: toJson(feature.fineEdges),
        fineCounts: toJson(feature.fineCounts),
        std: toJson([feature.std])[0],
        min: toJson([feature.min])[0],
        max: toJson([feature.max])[0],
      },
    ]),
    categorical: [...summary.categorical].map(([name, counts]) => [name, [...counts]]),
  });
}

/** The summary in `payload`, or undefined when it is not one this version wrote. */
export function decodeSummary(payload: string): ProfileSummary | undefined {
  try {
    const parsed = JSON.parse(payload) as Record<string, unknown>;
    if (parsed.format !== FORMAT) return undefined;
    const numeric = new Map<string, NumericSummary>();
    for (const [name, feature] of parsed.numeric as [string, Record<string, unknown>][]) {
      const floats = (key: string) => Float64Array.from(feature[key] as unknown[], fromJson);
      if (typeof name !== "string") return undefined;
      numeric.set(name, {
        n: fromJson(feature.n),
        decileEdges: floats("decileEdges"),
        fineEdges: floats("fineEdges"),
        fineCounts: floats("fineCounts"),
        std: fromJson(feature.std),
        min: fromJson(feature.min),
        max: fromJson(feature.max),
      });
    }
    const categorical = new Map<string, Map<string, number>>();
    for (const [name, counts] of parsed.categorical as [string, [string, number][]][]) {
      const valid = ([value, count]: [unknown, unknown]) =>
        typeof value === "string" && typeof count === "number";
      if (typeof name !== "string" || !counts.every(valid)) return undefined;
      categorical.set(name, new Map(counts));
    }
    if (typeof parsed.rows !== "number" || typeof parsed.storedRows !== "number") return undefined;
    return { rows: parsed.rows, storedRows: parsed.storedRows, numeric, categorical };
  } catch {
    return undefined;
  }
}

/** Reads and writes summaries; failures are logged and never fail an evaluation. */
export class ProfileSummaries {
  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
    private readonly logger?: Logger,
  ) {}

  async read(model: string, key: string): Promise<ProfileSummary | undefined> {
    try {
      const [row] = await this.engine.query<{ payload: string }>(
        sql`SELECT argMax(payload, created_at) AS payload
  FROM ${tableRef(this.database, "reference_profiles")}
  WHERE model = ${model} AND profile_key = ${key} GROUP BY profile_key`,
      );
      return row === undefined ? undefined : decodeSummary(row.payload);
    } catch (error) {
      this.logger?.warn({ err: error, model, key }, "reference profile: stored summary unreadable");
      return undefined;
    }
  }

  async write(model: string, key: string, summary: ProfileSummary): Promise<void> {
    try {
      await this.engine.command(
        sql`INSERT INTO ${tableRef(this.database, "reference_profiles")}
  (model, profile_key, created_at, payload)
  VALUES (${model}, ${key}, now(), ${encodeSummary(summary)})`,
      );
    } catch (error) {
      this.logger?.warn({ err: error, model, key }, "reference profile: summary not stored");
    }
  }
}
