// A reference's per-feature summary, computed once per reference (cached): sorted numeric
// values with their exact decile and fine bin edges (numpy-linear quantiles, not ClickHouse's
// sampled ones), fine-bin counts, range and std; category counts; row count. The binned path
// needs only the summaries, which lasting references keep in ClickHouse (profile-summaries.ts):
// a new process loads those instead of pulling the rows; the exact path needs the sorted values.
import {
  binCountsSorted,
  fineQuantileEdges,
  populationStandardDeviation,
  referenceBinEdges,
  sortFloat64,
} from "../../detectors/index.js";
import type { SqlEngine } from "../store/index.js";
import type { Logger } from "../util/index.js";
import { labelledRows, labelledRowsOf, type LabelledRow } from "./performance-evaluation.js";
import { ProfileSummaries, type NumericSummary } from "./profile-summaries.js";
import type { RowSource } from "./row-source.js";
import { readStoredWindow } from "./stored-window.js";
import { categoryCounts, labelArrivals, numericValues, settleSource } from "./window-data.js";

/** Fine bins for the binned path: 100 (edges at k/100 contain the deciles). */
export const HISTOGRAM_BIN_COUNT = 100;
const CACHE_SIZE = 16;

export interface NumericReference extends NumericSummary {
  /** The values, sorted: absent when the profile was loaded from its stored summary. */
  readonly sorted?: Float64Array;
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
  /** Whether every numeric feature carries its sorted values (what the exact path needs). */
  readonly withValues: boolean;
}

export function summarizeNumeric(values: Float64Array): NumericReference {
  sortFloat64(values);
  const fineEdges = fineQuantileEdges(values, HISTOGRAM_BIN_COUNT);
  return {
    n: values.length,
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
  private readonly summaries: ProfileSummaries;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
    logger?: Logger,
  ) {
    this.summaries = new ProfileSummaries(engine, database, logger);
  }

  /**
   * The profile of the reference `source`. `values`: the caller compares exactly (needs the
   * sorted values); `lasting`: the reference's rows stay the same from window to window (fixed
   * or uploaded), so its summary is worth keeping in ClickHouse.
   */
  async load(
    key: string,
    source: RowSource,
    durationMs: number | null,
    options: {
      readonly categoricalNumbers: readonly string[];
      readonly maxRows: number;
      readonly values: boolean;
      readonly lasting: boolean;
    },
  ): Promise<ReferenceProfile> {
    const { categoricalNumbers, maxRows } = options;
    const cacheKey = `${key}|${categoricalNumbers.join(",")}|${maxRows}`;
    let cached = this.cache.get(cacheKey);
    if (cached !== undefined && options.values && !(await cached).profile.withValues) {
      cached = undefined;
    }
    if (cached === undefined) {
      const loading = this.compute(key, source, durationMs, { ...options, cacheKey });
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
    options: {
      readonly cacheKey: string;
      readonly categoricalNumbers: readonly string[];
      readonly maxRows: number;
      readonly values: boolean;
      readonly lasting: boolean;
    },
  ): Promise<CachedProfile> {
    const { categoricalNumbers, maxRows } = options;
    // The fingerprint first: a label arriving while the rows are read makes the next load re-read.
    const labelsSeen = source.joinsLabels ? await this.labelsFingerprint(source.model) : "";
    const stored = await settleSource(this.engine, source);
    const settled =
      stored.rows > maxRows && source.sample !== undefined
        ? await settleSource(this.engine, source.sample(maxRows / stored.rows))
        : stored;
    const rows = settled.rows;
    const aggregates =
      settled.source.window !== undefined && settled.census !== undefined
        ? await readStoredWindow(this.engine, settled.source.window, { censusOnly: true })?.verify(
            settled.census,
          )
        : undefined;
    const labelledRead = labelledRowsOf(this.engine, this.database, settled.source, aggregates);
    labelledRead.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    const base = { key, rows, storedRows: stored.rows, durationMs };
    const cached = (profile: ReferenceProfile) => ({
      profile,
      labelSource: settled.source,
      labelsSeen,
    });
    // The stored summary names the rows it came from: their count and event-id hashes.
    const summaryKey = options.lasting
      ? `${options.cacheKey}|${stored.rows}:${stored.census?.ids ?? "deduplicated"}`
      : undefined;
    if (summaryKey !== undefined && !options.values) {
      const summary = await this.summaries.read(source.model, summaryKey);
      if (summary !== undefined && summary.rows === rows && summary.storedRows === stored.rows) {
        const { numeric, categorical } = summary;
        return cached({
          ...base,
          numeric,
          categorical,
          labelled: await labelledRead,
          withValues: false,
        });
      }
    }
    const [values, categorical] = await Promise.all([
      numericValues(this.engine, settled.source),
      categoryCounts(this.engine, settled.source, categoricalNumbers),
    ]);
    const numeric = new Map<string, NumericReference>();
    for (const [name, sample] of values) {
      if (categoricalNumbers.includes(name) || sample.length === 0) continue;
      numeric.set(name, summarizeNumeric(sample));
    }
    if (summaryKey !== undefined) {
      await this.summaries.write(source.model, summaryKey, { ...base, numeric, categorical });
    }
    return cached({
      ...base,
      numeric,
      categorical,
      labelled: await labelledRead,
      withValues: true,
    });
  }
}
