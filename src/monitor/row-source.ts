// The rows an evaluation reads, as SQL subqueries with one column layout: a model version's
// predictions in a time range (deduplicated: one row per (model, event_id), so resends never
// change a statistic), an uploaded reference dataset, and either joined with late labels.
import { tableRef, raw, sql, type SqlFragment } from "../store/index.js";

/** Columns every source yields. */
const COLUMNS = `event_id, num_names, num_values, cat_names, cat_values, missing_names,
  prediction, prediction_value, label, label_value`;

export interface RowSource {
  /** A parenthesised subquery with the columns above. */
  readonly subquery: SqlFragment;
  /**
   * Predictions sources only: the same rows without the per-event deduplication (a hash pass in
   * every query that reads the source), and the query that tells whether any event is stored
   * twice (columns n = rows, distinct_events = distinct event-id hashes). See settleSource.
   */
  readonly undeduplicated?: { readonly source: RowSource; readonly census: SqlFragment };
  /**
   * Predictions sources only: the same source restricted to a deterministic sample of about
   * `fraction` of its events (by event-id hash, so the same events every time).
   */
  readonly sample?: (fraction: number) => RowSource;
  /** Predictions sources get late labels joined; dataset rows carry their own. */
  readonly joinsLabels: boolean;
  readonly model: string;
  /**
   * Predictions sources only (not samples): the stored window, whose per-hour histograms the
   * binned path may read instead of the rows (stored-histograms.ts).
   */
  readonly window?: StoredWindow;
}

/** A model version's predictions with from ≤ ts < to (epoch ms, whole seconds). */
export interface StoredWindow {
  readonly database: string;
  readonly model: string;
  readonly modelVersion: string;
  readonly from: number;
  readonly to: number;
}

/** Sample resolution: an event is in a sample of fraction f when its hash bucket < f·SAMPLE_BUCKETS. */
const SAMPLE_BUCKETS = 1_000_000;

/** Predictions of (model, version) with from ≤ ts < to (epoch ms, whole seconds). */
export function predictionsSource(
  database: string,
  model: string,
  modelVersion: string,
  from: number,
  to: number,
  sampleFraction = 1,
): RowSource {
  const table = tableRef(database, "predictions");
  const sampled =
    sampleFraction < 1
      ? sql` AND cityHash64(event_id) % ${SAMPLE_BUCKETS} < ${Math.max(1, Math.round(sampleFraction * SAMPLE_BUCKETS))}`
      : sql``;
  const where = sql`model = ${model} AND model_version = ${modelVersion}
    AND ts >= toDateTime(${Math.floor(from / 1000)}) AND ts < toDateTime(${Math.floor(to / 1000)})${sampled}`;
  const select = sql`SELECT model, ${rawColumns()} FROM ${table} WHERE ${where}`;
  const window = sampleFraction < 1 ? {} : { window: { database, model, modelVersion, from, to } };
  return {
    subquery: withPredictionFeature(sql`${select} LIMIT 1 BY model, event_id`),
    joinsLabels: true,
    model,
    ...window,
    undeduplicated: {
      source: { subquery: withPredictionFeature(select), joinsLabels: true, model, ...window },
      // A hash collision can only make the rows look duplicated: the safe direction. `ids`
      // (XOR of the event-id hashes) identifies the set of events when none is stored twice.
      census: sql`SELECT count() AS n, uniqExact(cityHash64(event_id)) AS distinct_events,
    groupBitXor(cityHash64(event_id)) AS ids
  FROM ${table} WHERE ${where}`,
    },
    sample: (fraction) =>
      predictionsSource(database, model, modelVersion, from, to, sampleFraction * fraction),
  };
}

/** The rows of an uploaded reference dataset. */
export function datasetSource(
  database: string,
  model: string,
  modelVersion: string,
  referenceId: string,
): RowSource {
  const subquery = withPredictionFeature(sql`SELECT toString(row_number) AS event_id, num_names,
  num_values, cat_names, cat_values, missing_names, prediction, prediction_value, label, label_value
  FROM ${tableRef(database, "reference_rows")}
  WHERE model = ${model} AND model_version = ${modelVersion} AND reference_id = ${referenceId}`);
  return { subquery, joinsLabels: false, model };
}

/**
 * The source with each row's effective label: a late label from `labels` (latest per event)
 * when one arrived, else the label carried on the event. Columns: prediction, prediction_value,
 * y_label, y_label_value (both NULL when unlabelled).
 */
export function labelledSource(database: string, source: RowSource): SqlFragment {
  if (!source.joinsLabels) {
    return sql`(SELECT prediction, prediction_value, label AS y_label, label_value AS y_label_value
  FROM ${source.subquery})`;
  }
  return sql`(SELECT prediction, prediction_value,
    if(late_found = 1, late_label, label) AS y_label,
    if(late_found = 1, late_label_value, label_value) AS y_label_value
  FROM ${source.subquery} AS events
  ANY LEFT JOIN (SELECT event_id, argMax(label, ingested_at) AS late_label,
      argMax(label_value, ingested_at) AS late_label_value, toUInt8(1) AS late_found
    FROM ${tableRef(database, "labels")} WHERE model = ${source.model} GROUP BY event_id) AS late
  USING event_id)`;
}

/** The feature name under which the model's prediction is compared like any other feature. */
export const PREDICTION_FEATURE = "_prediction";

/**
 * Wraps a SELECT of the raw columns so the prediction appears as one more feature: numeric
 * predictions in the numeric arrays, text ones in the categorical arrays.
 */
function withPredictionFeature(inner: SqlFragment): SqlFragment {
  const name = PREDICTION_FEATURE;
  return sql`(SELECT event_id,
    if(isNull(p_value), r_num_names, arrayPushBack(r_num_names, ${name})) AS num_names,
    if(isNull(p_value), r_num_values, arrayPushBack(r_num_values, assumeNotNull(p_value))) AS num_values,
    if(isNull(p_text) OR isNotNull(p_value), r_cat_names, arrayPushBack(r_cat_names, ${name})) AS cat_names,
    if(isNull(p_text) OR isNotNull(p_value), r_cat_values, arrayPushBack(r_cat_values, assumeNotNull(p_text))) AS cat_values,
    missing_names, p_text AS prediction, p_value AS prediction_value, label, label_value
  FROM (SELECT event_id, num_names AS r_num_names, num_values AS r_num_values,
      cat_names AS r_cat_names, cat_values AS r_cat_values, missing_names,
      prediction AS p_text, prediction_value AS p_value, label, label_value
    FROM (${inner})))`;
}

function rawColumns(): SqlFragment {
  return raw(COLUMNS);
}
