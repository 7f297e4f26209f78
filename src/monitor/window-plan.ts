// Which windows of a model are due: tumbling windows aligned to the epoch, from backfillWindows
// back up to the last complete one. A window is due when never evaluated (including windows
// missed while the service was down), when its label delay has passed but its performance was
// not evaluated yet, or when labels arrived for it since it was evaluated (late labels).
//
// Counting labelled events joins every event of the late-label horizon (lateLabelDays) with the
// labels, so it is done in full only on a model's first pass in a process and then hourly;
// passes in between count only the windows that can have changed: those holding events whose
// labels were ingested since the previous pass (a LabelWatch remembers how far the labels were
// read, less a margin for batches stamped before they were inserted) and those whose stored row
// count differs from the count they were evaluated with (late or resent events). A label batch
// inserted more than the margin after its stamp (a long ClickHouse outage) waits for the next
// full count.
import { tableRef, type SqlEngine, sql } from "../store/index.js";
import type { ModelSettings } from "./model-settings.js";
import { labelArrivals } from "./window-data.js";
import type { WindowKey } from "./result-rows.js";

export interface DueWindow {
  readonly key: WindowKey;
  readonly performance: boolean;
  readonly why: "new" | "label_delay_passed" | "late_labels";
}

interface WindowCount {
  model_version: string;
  w: number;
  n: number;
}

interface Recorded {
  model_version: string;
  w: number;
  labelled: number;
  perf: number;
  rows: number;
}

/** Per model: how far a previous pass read the labels, and when it last counted in full. */
export type LabelWatch = Map<string, { readonly upTo: number; readonly fullAt: number }>;

/** Labels stamped this long before the previous pass's latest are read again (ingest batching). */
const LABEL_MARGIN_SECONDS = 600;
/** A full count of labelled events at least this often (catches batches inserted very late). */
const FULL_COUNT_MS = 3_600_000;

const DAY_MS = 86_400_000;

export async function planWindows(
  engine: SqlEngine,
  database: string,
  model: string,
  settings: ModelSettings,
  now: number,
  watch: LabelWatch = new Map(),
): Promise<DueWindow[]> {
  const interval = settings.intervalMs;
  const intervalSeconds = Math.max(1, Math.round(interval / 1000));
  const lastEnd = Math.floor(now / interval) * interval;
  const firstStart = lastEnd - settings.config.backfillWindows * interval;
  if (lastEnd <= firstStart) return [];
  const fromSeconds = Math.floor(firstStart / 1000);
  const toSeconds = Math.floor(lastEnd / 1000);
  // Whole windows only, so a window's labelled count is compared with a count of all its rows.
  const lateHorizon =
    Math.ceil(Math.max(firstStart, now - settings.config.lateLabelDays * DAY_MS) / interval) *
    interval;

  const labelsUpTo = (await labelArrivals(engine, database, model)).latest;
  const [withData, recorded] = await Promise.all([
    engine.query<WindowCount>(sql`SELECT model_version,
    intDiv(toUInt32(ts), ${intervalSeconds}) * ${intervalSeconds} AS w, count() AS n
  FROM ${tableRef(database, "predictions")}
  WHERE model = ${model} AND ts >= toDateTime(${fromSeconds}) AND ts < toDateTime(${toSeconds})
  GROUP BY model_version, w`),
    engine.query<Recorded>(sql`SELECT model_version, toUInt32(window_start) AS w,
    argMax(n_labelled, evaluated_at_ms) AS labelled,
    argMax(performance_evaluated, evaluated_at_ms) AS perf,
    argMax(row_count, evaluated_at_ms) AS rows
  FROM ${tableRef(database, "evaluated_windows")}
  WHERE model = ${model} AND window_start >= toDateTime(${fromSeconds})
  GROUP BY model_version, w`),
  ]);
  const recordedBy = new Map(recorded.map((row) => [`${row.model_version}|${row.w}`, row]));
  const watched = watch.get(model);
  const full = watched === undefined || now - watched.fullAt >= FULL_COUNT_MS;
  let labelled: WindowCount[];
  if (full) {
    labelled = await labelledCounts(engine, database, model, intervalSeconds, {
      from: lateHorizon,
      to: lastEnd,
    });
  } else {
    const changed = new Set<number>(
      withData
        .filter(
          (row) =>
            Number(recordedBy.get(`${row.model_version}|${row.w}`)?.rows ?? -1) !== Number(row.n),
        )
        .map((row) => Number(row.w)),
    );
    for (const w of await windowsWithLabelsSince(
      engine,
      database,
      model,
      intervalSeconds,
      { from: lateHorizon, to: lastEnd },
      Math.max(0, watched.upTo - LABEL_MARGIN_SECONDS),
    )) {
      changed.add(w);
    }
    const windows = [...changed].filter((w) => w * 1000 >= lateHorizon && w * 1000 < lastEnd);
    labelled =
      windows.length === 0
        ? []
        : await labelledCounts(engine, database, model, intervalSeconds, {
            from: Math.min(...windows) * 1000,
            to: (Math.max(...windows) + intervalSeconds) * 1000,
            windows,
          });
  }
  watch.set(model, { upTo: labelsUpTo, fullAt: full ? now : watched.fullAt });

  const labelledBy = new Map(labelled.map((row) => [`${row.model_version}|${row.w}`, row.n]));
  const keys = new Map<string, { version: string; w: number }>();
  for (const row of withData)
    keys.set(`${row.model_version}|${row.w}`, { version: row.model_version, w: Number(row.w) });

  // Windows with no events after the model's first event in range still count (a dead producer
  // shows as a zero-row window of the latest version).
  const byTime = [...keys.values()].sort((a, b) => a.w - b.w);
  if (byTime.length > 0) {
    const windowsWithData = new Set(byTime.map((entry) => entry.w));
    let latestVersion = byTime[0]!.version;
    let cursor = 0;
    for (let w = byTime[0]!.w; w < toSeconds; w += intervalSeconds) {
      while (cursor < byTime.length && byTime[cursor]!.w <= w)
        latestVersion = byTime[cursor++]!.version;
      if (!windowsWithData.has(w)) keys.set(`${latestVersion}|${w}`, { version: latestVersion, w });
    }
  }

  const due: DueWindow[] = [];
  for (const [id, { version, w }] of keys) {
    const windowStart = w * 1000;
    const windowEnd = windowStart + intervalSeconds * 1000;
    const key: WindowKey = { model, modelVersion: version, windowStart, windowEnd };
    const performance = now >= windowEnd + settings.labelDelayMs;
    const previous = recordedBy.get(id);
    if (previous === undefined) {
      due.push({ key, performance, why: "new" });
    } else if (Number(previous.perf) === 0) {
      if (performance) due.push({ key, performance, why: "label_delay_passed" });
    } else if (windowStart >= lateHorizon) {
      const labelledNow = labelledBy.get(id);
      if (
        labelledNow !== undefined
          ? labelledNow !== Number(previous.labelled)
          : full && Number(previous.labelled) !== 0
      ) {
        due.push({ key, performance: true, why: "late_labels" });
      }
    }
  }
  return due.sort(
    (a, b) =>
      a.key.windowStart - b.key.windowStart || (a.key.modelVersion < b.key.modelVersion ? -1 : 1),
  );
}

/** Windows (start, epoch s) in range holding events whose labels were ingested at `since` or later. */
async function windowsWithLabelsSince(
  engine: SqlEngine,
  database: string,
  model: string,
  intervalSeconds: number,
  range: { readonly from: number; readonly to: number },
  since: number,
): Promise<number[]> {
  if (range.to <= range.from) return [];
  const rows = await engine.query<{ w: number }>(sql`SELECT DISTINCT
    intDiv(toUInt32(ts), ${intervalSeconds}) * ${intervalSeconds} AS w
  FROM ${tableRef(database, "predictions")}
  WHERE model = ${model} AND ts >= toDateTime(${Math.floor(range.from / 1000)})
    AND ts < toDateTime(${Math.floor(range.to / 1000)})
    AND event_id IN (SELECT event_id FROM ${tableRef(database, "labels")}
      WHERE model = ${model} AND ingested_at >= toDateTime(${since}))`);
  return rows.map((row) => Number(row.w));
}

/**
 * Labelled events per (version, window) in range (late labels joined, events deduplicated),
 * optionally only of the given windows (starts, epoch s).
 */
async function labelledCounts(
  engine: SqlEngine,
  database: string,
  model: string,
  intervalSeconds: number,
  range: { readonly from: number; readonly to: number; readonly windows?: readonly number[] },
): Promise<WindowCount[]> {
  if (range.to <= range.from) return [];
  const w = sql`intDiv(toUInt32(ts), ${intervalSeconds}) * ${intervalSeconds}`;
  const only = range.windows === undefined ? sql`` : sql`AND has(${range.windows}, ${w})`;
  return engine.query<WindowCount>(sql`SELECT model_version, w,
    countIf(late_found = 1 OR isNotNull(label) OR isNotNull(label_value)) AS n
  FROM (SELECT model, model_version, event_id, label, label_value, ${w} AS w
    FROM ${tableRef(database, "predictions")}
    WHERE model = ${model} AND ts >= toDateTime(${Math.floor(range.from / 1000)})
      AND ts < toDateTime(${Math.floor(range.to / 1000)}) ${only}
    LIMIT 1 BY model, event_id) AS events
  ANY LEFT JOIN (SELECT event_id, toUInt8(1) AS late_found FROM ${tableRef(database, "labels")}
    WHERE model = ${model} AND (isNotNull(label) OR isNotNull(label_value)) GROUP BY event_id) AS late
  USING event_id
  GROUP BY model_version, w`);
}
