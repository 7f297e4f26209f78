// Which windows of a model are due: tumbling windows aligned to the epoch, from backfillWindows
// back up to the last complete one. A window is due when never evaluated (including windows
// missed while the service was down), when its label delay has passed but its performance was
// not evaluated yet, or when labels arrived for it since it was evaluated (late labels).
import { tableRef } from "../store/database.js";
import type { SqlEngine } from "../store/engine.js";
import { sql } from "../store/sql.js";
import type { ModelSettings } from "./model-settings.js";
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
}

const DAY_MS = 86_400_000;

export async function planWindows(
  engine: SqlEngine,
  database: string,
  model: string,
  settings: ModelSettings,
  now: number,
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

  const [withData, recorded, labelled] = await Promise.all([
    engine.query<WindowCount>(sql`SELECT model_version,
    intDiv(toUInt32(ts), ${intervalSeconds}) * ${intervalSeconds} AS w, count() AS n
  FROM ${tableRef(database, "predictions")}
  WHERE model = ${model} AND ts >= toDateTime(${fromSeconds}) AND ts < toDateTime(${toSeconds})
  GROUP BY model_version, w`),
    engine.query<Recorded>(sql`SELECT model_version, toUInt32(window_start) AS w,
    argMax(n_labelled, evaluated_at_ms) AS labelled,
    argMax(performance_evaluated, evaluated_at_ms) AS perf
  FROM ${tableRef(database, "evaluated_windows")}
  WHERE model = ${model} AND window_start >= toDateTime(${fromSeconds})
  GROUP BY model_version, w`),
    labelledCounts(engine, database, model, intervalSeconds, lateHorizon, lastEnd),
  ]);

  const recordedBy = new Map(recorded.map((row) => [`${row.model_version}|${row.w}`, row]));
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
      const labelledNow = labelledBy.get(id) ?? 0;
      if (labelledNow !== Number(previous.labelled)) {
        due.push({ key, performance: true, why: "late_labels" });
      }
    }
  }
  return due.sort(
    (a, b) =>
      a.key.windowStart - b.key.windowStart || (a.key.modelVersion < b.key.modelVersion ? -1 : 1),
  );
}

/** Labelled events per (version, window) since `from` (late labels joined, events deduplicated). */
async function labelledCounts(
  engine: SqlEngine,
  database: string,
  model: string,
  intervalSeconds: number,
  from: number,
  to: number,
): Promise<WindowCount[]> {
  if (to <= from) return [];
  return engine.query<WindowCount>(sql`SELECT model_version, w,
    countIf(late_found = 1 OR isNotNull(label) OR isNotNull(label_value)) AS n
  FROM (SELECT model, model_version, event_id, label, label_value,
      intDiv(toUInt32(ts), ${intervalSeconds}) * ${intervalSeconds} AS w
    FROM ${tableRef(database, "predictions")}
    WHERE model = ${model} AND ts >= toDateTime(${Math.floor(from / 1000)})
      AND ts < toDateTime(${Math.floor(to / 1000)})
    LIMIT 1 BY model, event_id) AS events
  ANY LEFT JOIN (SELECT event_id, toUInt8(1) AS late_found FROM ${tableRef(database, "labels")}
    WHERE model = ${model} AND (isNotNull(label) OR isNotNull(label_value)) GROUP BY event_id) AS late
  USING event_id
  GROUP BY model_version, w`);
}
