// Migration 10: per-hour histograms of every numeric feature and counts of every category, kept
// by materialized views within each INSERT into predictions, so the binned path reads a few
// thousand cells per feature instead of scanning the window's rows (src/monitor/stored-window.ts),
// and a census of the rows the views counted (count, XOR of the event-id hashes, rows carrying a
// label, numeric and categorical values) that tells whether they stand for exactly the events
// stored, and whether each view counted all of their values. Hours are whole UTC hours
// (epoch seconds, not the server's time zone).
//
// A value's cell is the top CELL_BITS bits of its IEEE-754 double: sign, exponent and the first
// eight mantissa bits, so every cell is a narrow interval (relative width 2^-8) fixed for all
// features and models, and cells never overlap. The prediction counts as the numeric feature
// `_prediction`, as in the evaluation's row sources. And a cache of reference profiles (the
// summaries the binned path compares with), so a new process need not pull a reference again.
import { raw, sql, type SqlFragment } from "../sql.js";
import {
  createMaterializedView,
  createTable,
  localTableRef,
  type SchemaTarget,
} from "../table-ddl.js";
import type { Migration } from "./migration.js";

/** Bits of the double dropped from a value's cell: 52 mantissa bits less the 8 kept. */
export const CELL_SHIFT = 44;

const HOUR = raw("toDateTime(intDiv(toUInt32(ts), 3600) * 3600)");

function histogramsSelect(target: SchemaTarget): SqlFragment {
  return sql`SELECT model, model_version, ${HOUR} AS hour, name AS feature,
  toUInt32(bitShiftRight(reinterpretAsUInt64(reinterpretAsString(v)), ${CELL_SHIFT})) AS cell,
  countState() AS n, minState(v) AS lo, maxState(v) AS hi
FROM ${localTableRef(target, "predictions")}
ARRAY JOIN
  if(isNull(prediction_value), num_names, arrayPushBack(num_names, '_prediction')) AS name,
  if(isNull(prediction_value), num_values, arrayPushBack(num_values, assumeNotNull(prediction_value))) AS v
GROUP BY model, model_version, hour, feature, cell`;
}

function categoriesSelect(target: SchemaTarget): SqlFragment {
  // A text prediction (without a numeric one) counts as the categorical feature `_prediction`.
  const textPrediction = raw("isNull(prediction) OR isNotNull(prediction_value)");
  return sql`SELECT model, model_version, ${HOUR} AS hour, name AS feature, value, count() AS n
FROM ${localTableRef(target, "predictions")}
ARRAY JOIN
  if(${textPrediction}, cat_names, arrayPushBack(cat_names, '_prediction')) AS name,
  if(${textPrediction}, cat_values, arrayPushBack(cat_values, assumeNotNull(prediction))) AS value
GROUP BY model, model_version, hour, feature, value`;
}

function censusSelect(target: SchemaTarget): SqlFragment {
  return sql`SELECT model, model_version, ${HOUR} AS hour, countState() AS n,
  groupBitXorState(cityHash64(event_id)) AS ids,
  sumState(toUInt64(isNotNull(label) OR isNotNull(label_value))) AS labelled,
  sumState(toUInt64(length(num_values) + isNotNull(prediction_value))) AS numbers,
  sumState(toUInt64(length(cat_values) + (isNotNull(prediction) AND isNull(prediction_value)))) AS categories
FROM ${localTableRef(target, "predictions")}
GROUP BY model, model_version, hour`;
}

export const windowHistograms: Migration = {
  version: 10,
  name: "hourly feature histograms, category counts and their census; reference profile cache",
  statements: (target) => [
    ...createTable(target, {
      name: "feature_histograms",
      columns: `
  model String,
  model_version String,
  hour DateTime,
  feature String,
  cell UInt32,
  n AggregateFunction(count),
  lo AggregateFunction(min, Float64),
  hi AggregateFunction(max, Float64)`,
      engine: { kind: "AggregatingMergeTree" },
      partitionBy: "toYYYYMMDD(hour)",
      orderBy: "(model, model_version, hour, feature, cell)",
      // Only the views write it (per shard); readers merge the states across shards.
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "histogram_census",
      columns: `
  model String,
  model_version String,
  hour DateTime,
  n AggregateFunction(count),
  ids AggregateFunction(groupBitXor, UInt64),
  labelled AggregateFunction(sum, UInt64),
  numbers AggregateFunction(sum, UInt64),
  categories AggregateFunction(sum, UInt64)`,
      engine: { kind: "AggregatingMergeTree" },
      partitionBy: "toYYYYMMDD(hour)",
      orderBy: "(model, model_version, hour)",
      shardingKey: "cityHash64(model)",
    }),
    ...createTable(target, {
      name: "category_counts",
      columns: `
  model String,
  model_version String,
  hour DateTime,
  feature String,
  value String,
  n UInt64`,
      engine: { kind: "SummingMergeTree", sum: "n" },
      partitionBy: "toYYYYMMDD(hour)",
      orderBy: "(model, model_version, hour, feature, value)",
      shardingKey: "cityHash64(model)",
    }),
    // The views' names sort after every other view of predictions (ingest_counts_…,
    // ingest_positions_…, model_catalog_…): an INSERT writes the table's rows first (readers see
    // them at once), then runs its views one by one in name order, so these costlier views go
    // last and the catalog and ingest positions follow the rows as closely as before. A window
    // read while an insert is between the two has a census that differs: it takes the scan.
    createMaterializedView(target, {
      name: "window_histograms_predictions",
      to: "feature_histograms",
      select: histogramsSelect(target),
    }),
    createMaterializedView(target, {
      name: "window_counts_predictions",
      to: "category_counts",
      select: categoriesSelect(target),
    }),
    createMaterializedView(target, {
      name: "window_census_predictions",
      to: "histogram_census",
      select: censusSelect(target),
    }),
    ...createTable(target, {
      name: "reference_profiles",
      columns: `
  model String,
  profile_key String,
  created_at DateTime,
  payload String`,
      engine: { kind: "ReplacingMergeTree", version: "created_at" },
      orderBy: "(model, profile_key)",
      shardingKey: "cityHash64(model)",
    }),
  ],
};
