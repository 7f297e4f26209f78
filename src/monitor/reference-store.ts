// Reference definitions per (model, version) in `model_references` and uploaded reference
// datasets in `reference_rows` (the predictions' column layout), plus which rows a reference
// means for a given window (fixed range, the N days before the window, or the dataset).
import { randomUUID } from "node:crypto";
import type { ReferenceInfo, ReferenceSpec } from "./operations.js";
import { tableRef, type SqlEngine, sql } from "../store/index.js";
import { datasetSource, predictionsSource, type RowSource } from "./row-source.js";

const DAY_MS = 86_400_000;
const UPLOAD_CHUNK_ROWS = 50_000;

export interface ReferenceDefinition extends ReferenceInfo {
  readonly referenceId: string;
}

type DatasetRow = Readonly<Record<string, number | string | boolean | null>>;

export class MonitorInputError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = "MonitorInputError";
  }
}

export class ReferenceStore {
  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
  ) {}

  async get(model: string, modelVersion: string): Promise<ReferenceDefinition | undefined> {
    const rows = await this.engine.query<StoredReference>(
      sql`SELECT model, model_version, argMax(reference_id, created_at_ms) AS r_id,
    argMax(kind, created_at_ms) AS r_kind,
    argMax(toUnixTimestamp(range_from), created_at_ms) AS r_from,
    argMax(toUnixTimestamp(range_to), created_at_ms) AS r_to,
    argMax(rolling_days, created_at_ms) AS r_days, argMax(row_count, created_at_ms) AS r_rows,
    max(created_at_ms) AS r_at, argMax(created_by, created_at_ms) AS r_by
  FROM ${tableRef(this.database, "model_references")}
  WHERE model = ${model} AND model_version = ${modelVersion}
  GROUP BY model, model_version`,
    );
    const row = rows[0];
    return row === undefined ? undefined : toDefinition(row);
  }

  /** Models that have at least one reference (monitored even when not declared in the config). */
  async modelsWithReferences(): Promise<string[]> {
    const rows = await this.engine.query<{ model: string }>(
      sql`SELECT DISTINCT model FROM ${tableRef(this.database, "model_references")}`,
    );
    return rows.map((row) => row.model);
  }

  /** Store a new reference (dataset rows first, then the definition that points at them). */
  async set(
    model: string,
    modelVersion: string,
    spec: ReferenceSpec,
    createdBy: string,
    now: number,
  ): Promise<ReferenceDefinition> {
    const referenceId = randomUUID();
    let rowCount = 0;
    let from = 0;
    let to = 0;
    let days = 0;
    if (spec.kind === "fixed") {
      if (!(Number.isFinite(spec.from) && Number.isFinite(spec.to) && spec.from < spec.to)) {
        throw new MonitorInputError("reference.from", "must be a time before reference.to");
      }
      from = spec.from;
      to = spec.to;
      const counted = await this.engine.query<{ n: number }>(
        sql`SELECT count() AS n FROM ${predictionsSource(this.database, model, modelVersion, from, to).subquery}`,
      );
      rowCount = Number(counted[0]?.n ?? 0);
    } else if (spec.kind === "rolling") {
      if (!(Number.isInteger(spec.days) && spec.days >= 1 && spec.days <= 3650)) {
        throw new MonitorInputError("reference.days", "must be a whole number of days in 1…3650");
      }
      days = spec.days;
    } else {
      if (spec.rows.length === 0) throw new MonitorInputError("reference.rows", "is empty");
      rowCount = await this.uploadRows(model, modelVersion, referenceId, spec);
    }
    await this.engine.insert(`${this.database}.model_references`, [
      {
        model,
        model_version: modelVersion,
        reference_id: referenceId,
        kind: spec.kind,
        range_from: Math.floor(from / 1000),
        range_to: Math.floor(to / 1000),
        rolling_days: days,
        row_count: rowCount,
        created_at: Math.floor(now / 1000),
        created_at_ms: now,
        created_by: createdBy,
      },
    ]);
    const stored = await this.get(model, modelVersion);
    if (stored === undefined) throw new Error("reference was stored but cannot be read back");
    return stored;
  }

  private async uploadRows(
    model: string,
    modelVersion: string,
    referenceId: string,
    spec: Extract<ReferenceSpec, { kind: "dataset" }>,
  ): Promise<number> {
    const table = `${this.database}.reference_rows`;
    for (let start = 0; start < spec.rows.length; start += UPLOAD_CHUNK_ROWS) {
      const chunk = spec.rows.slice(start, start + UPLOAD_CHUNK_ROWS);
      await this.engine.insert(
        table,
        chunk.map((row, offset) =>
          encodeDatasetRow(row, start + offset, spec, { model, modelVersion, referenceId }),
        ),
      );
    }
    return spec.rows.length;
  }
}

/** The rows a reference means for the window starting at `windowStart`. */
export function referenceSource(
  database: string,
  definition: Pick<
    ReferenceDefinition,
    "model" | "modelVersion" | "kind" | "referenceId" | "from" | "to" | "days"
  >,
  windowStart: number,
): { source: RowSource; key: string; durationMs: number | null } {
  const { model, modelVersion } = definition;
  if (definition.kind === "dataset") {
    return {
      source: datasetSource(database, model, modelVersion, definition.referenceId),
      key: `dataset:${definition.referenceId}`,
      durationMs: null,
    };
  }
  const from =
    definition.kind === "fixed" ? definition.from! : windowStart - (definition.days ?? 7) * DAY_MS;
  const to = definition.kind === "fixed" ? definition.to! : windowStart;
  return {
    source: predictionsSource(database, model, modelVersion, from, to),
    key: `range:${model}:${modelVersion}:${from}:${to}`,
    durationMs: to - from,
  };
}

function encodeDatasetRow(
  row: DatasetRow,
  rowNumber: number,
  spec: Extract<ReferenceSpec, { kind: "dataset" }>,
  target: { model: string; modelVersion: string; referenceId: string },
): object {
  const numNames: string[] = [];
  const numValues: number[] = [];
  const catNames: string[] = [];
  const catValues: string[] = [];
  const missing: string[] = [];
  let prediction: string | number | null = null;
  let label: string | number | null = null;
  for (const [name, value] of Object.entries(row)) {
    if (name === spec.predictionColumn) {
      prediction = typeof value === "boolean" ? String(value) : value;
      continue;
    }
    if (name === spec.labelColumn) {
      label = typeof value === "boolean" ? String(value) : value;
      continue;
    }
    if (value === null) missing.push(name);
    else if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        throw new MonitorInputError(
          `reference.rows[${rowNumber}].${name}`,
          "is not a finite number",
        );
      }
      numNames.push(name);
      numValues.push(value);
    } else {
      catNames.push(name);
      catValues.push(String(value));
    }
  }
  return {
    model: target.model,
    model_version: target.modelVersion,
    reference_id: target.referenceId,
    row_number: rowNumber,
    num_names: numNames,
    num_values: numValues,
    cat_names: catNames,
    cat_values: catValues,
    missing_names: missing,
    prediction: prediction === null ? null : String(prediction),
    prediction_value: typeof prediction === "number" ? prediction : null,
    label: label === null ? null : String(label),
    label_value: typeof label === "number" ? label : null,
  };
}

interface StoredReference {
  model: string;
  model_version: string;
  r_id: string;
  r_kind: string;
  r_from: number;
  r_to: number;
  r_days: number;
  r_rows: number;
  r_at: number;
  r_by: string;
}

function toDefinition(row: StoredReference): ReferenceDefinition {
  const kind = row.r_kind as ReferenceSpec["kind"];
  return {
    model: row.model,
    modelVersion: row.model_version,
    referenceId: row.r_id,
    kind,
    rows: Number(row.r_rows),
    createdAt: Number(row.r_at),
    createdBy: row.r_by,
    ...(kind === "fixed" ? { from: Number(row.r_from) * 1000, to: Number(row.r_to) * 1000 } : {}),
    ...(kind === "rolling" ? { days: Number(row.r_days) } : {}),
  };
}
