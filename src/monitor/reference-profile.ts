// A reference's per-feature summary, computed once per reference (cached): sorted numeric
// values with their exact decile and fine bin edges (numpy-linear quantiles, not ClickHouse's
// sampled ones), fine-bin counts, range and std; category counts; row count.
import {
  binCountsSorted,
  fineQuantileEdges,
  populationStandardDeviation,
  referenceBinEdges,
  sortFloat64,
} from "../../detectors/index.js";
import type { SqlEngine } from "../store/index.js";
import { labelledRows, type LabelledRow } from "./performance-evaluation.js";
import type { RowSource } from "./row-source.js";
import { categoryCounts, labelArrivals, numericValues, settleSource } from "./window-data.js";

/** Fine bins for the binned path: 100 (edges at k/100 contain the deciles). */
export const HISTOGRAM_BIN_COUNT = 100;
const CACHE_SIZE = 16;

export interface NumericReference {
  readonly sorted: Float64Array;
  readonly decileEdges: Float64Array;
  readonly fineEdges: Float64Array;
  readonly fineCounts: Float64Array;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface ReferenceProfile {
  readonly key: string;
  /** Rows summarised: all of the reference's, or its sample when it has more than maxRows. */
  readonly rows: number;
  /** All of the reference's rows (for the expected volume of a window). */
  readonly storedRows: number;
  /** Length of time the rows span (null for uploaded datasets). */
  readonly durationMs: number | null;
  readonly numeric: ReadonlyMap<string, NumericReference>;
  readonly categorical: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The reference's labelled rows (for accuracy decay). */
  readonly labelled: readonly LabelledRow[];
}

export function summarizeNumeric(values: Float64Array): NumericReference {
  sortFloat64(values);
  const fineEdges = fineQuantileEdges(values, HISTOGRAM_BIN_COUNT);
  return {
    sorted: values,
    decileEdges: referenceBinEdges(values),
    fineEdges,
    fineCounts: binCountsSorted(values, fineEdges),
    std: populationStandardDeviation(values),
    min: values[0]!,
    max: values[values.length - 1]!,
  };
}

/** A cached profile, with the source its labelled rows come from and the labels it saw. */
interface CachedProfile {
  readonly profile: ReferenceProfile;
  readonly labelSource: RowSource;
  readonly labelsSeen: string;
}

/**
 * Loads reference profiles, keeping the most recent few in memory. A reference made of stored
 * predictions gets late labels like any window: when the model's labels have changed since a
 * profile was cached (a cheap count and latest arrival), its labelled rows are read again; the
 * feature summaries stay cached.
 */
export class ReferenceProfiles {
  private readonly cache = new Map<string, Promise<CachedProfile>>();

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {}

  async load(
    key: string,
    source: RowSource,
    durationMs: number | null,
    options: { readonly categoricalNumbers: readonly string[]; readonly maxRows: number },
  ): Promise<ReferenceProfile> {
    const { categoricalNumbers, maxRows } = options;
    const cacheKey = `${key}|${categoricalNumbers.join(",")}|${maxRows}`;
    const cached = this.cache.get(cacheKey);
    if (cached === undefined) {
      const loading = this.compute(key, source, durationMs, categoricalNumbers, maxRows);
      this.cache.set(cacheKey, loading);
      loading.catch(() => this.cache.delete(cacheKey));
      while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      return (await loading).profile;
    }
    this.cache.delete(cacheKey);
    this.cache.set(cacheKey, cached);
    const entry = await cached;
    if (!source.joinsLabels) return entry.profile;
    const labelsSeen = await this.labelsFingerprint(source.model);
    if (labelsSeen === entry.labelsSeen) return entry.profile;
    const refreshed: CachedProfile = {
      profile: {
        ...entry.profile,
        labelled: await labelledRows(this.engine, this.database, entry.labelSource),
      },
      labelSource: entry.labelSource,
      labelsSeen,
    };
    if (this.cache.get(cacheKey) === cached) this.cache.set(cacheKey, Promise.resolve(refreshed));
    return refreshed.profile;
  }

  /** Changes whenever a label of the model arrives (or expires). */
  private async labelsFingerprint(model: string): Promise<string> {
    const { count, latest } = await labelArrivals(this.engine, this.database, model);
    return `${count}@${latest}`;
  }

  private async compute(
    key: string,
    source: RowSource,
    durationMs: number | null,
    categoricalNumbers: readonly string[],
    maxRows: number,
  ): Promise<CachedProfile> {
    // The fingerprint first: a label arriving while the rows are read makes the next load re-read.
    const labelsSeen = source.joinsLabels ? await this.labelsFingerprint(source.model) : "";
    const stored = await settleSource(this.engine, source);
    const settled =
      stored.rows > maxRows && source.sample !== undefined
        ? await settleSource(this.engine, source.sample(maxRows / stored.rows))
        : stored;
    const rows = settled.rows;
    const [values, categories, labelled] = await Promise.all([
      numericValues(this.engine, settled.source),
      categoryCounts(this.engine, settled.source, categoricalNumbers),
      labelledRows(this.engine, this.database, settled.source),
    ]);
    const numeric = new Map<string, NumericReference>();
    for (const [name, sample] of values) {
      if (categoricalNumbers.includes(name) || sample.length === 0) continue;
      numeric.set(name, summarizeNumeric(sample));
    }
    return {
      profile: {
        key,
        rows,
        storedRows: stored.rows,
        durationMs,
        numeric,
        categorical: categories,
        labelled,
      },
      labelSource: settled.source,
      labelsSeen,
    };
  }
}
