// A followed version's reference, as its model's config says: a dataset artifact of the version's
// run (CSV, JSONL or Parquet), the run's logged training window as a fixed range, or rolling days.
import type { MlflowConfig } from "../../config/index.js";
import { datasetFormatOf, parseDataset, type ReferenceSpec } from "../../monitor/index.js";
import type { MlflowClient, MlflowModelVersion } from "./client.js";
import { MlflowReferenceError } from "./errors.js";

export type MlflowModelConfig = MlflowConfig["models"][number];

export async function resolveReference(
  client: MlflowClient,
  followed: MlflowModelConfig,
  version: MlflowModelVersion,
): Promise<ReferenceSpec> {
  const reference = followed.reference;
  const where = `${version.name} version ${version.version}`;
  switch (reference.kind) {
    case "rolling":
      return { kind: "rolling", days: reference.days ?? 7 };
    case "trainingWindow": {
      const runId = runOf(version, where);
      const run = await client.run(runId);
      const source = reference.source ?? "params";
      const values = source === "params" ? run.params : run.tags;
      const from = windowTime(values, reference.from ?? "", `run ${runId} ${source}`);
      const to = windowTime(values, reference.to ?? "", `run ${runId} ${source}`);
      if (!(from < to)) {
        throw new MlflowReferenceError(
          `run ${runId} ${source}: the training window ${reference.from}…${reference.to} does not start before it ends`,
        );
      }
      return { kind: "fixed", from, to };
    }
    case "dataset": {
      const runId = runOf(version, where);
      const path = reference.artifactPath ?? "";
      const bytes = await client.artifact(runId, path);
      let rows;
      try {
        rows = await parseDataset(bytes, reference.format ?? datasetFormatOf(path));
      } catch (error) {
        throw new MlflowReferenceError(
          `artifact ${path} of run ${runId}: ${(error as Error).message}`,
        );
      }
      if (rows.length === 0) {
        throw new MlflowReferenceError(`artifact ${path} of run ${runId} holds no rows`);
      }
      return {
        kind: "dataset",
        rows,
        ...(reference.predictionColumn !== undefined
          ? { predictionColumn: reference.predictionColumn }
          : {}),
        ...(reference.labelColumn !== undefined ? { labelColumn: reference.labelColumn } : {}),
      };
    }
  }
}

function runOf(version: MlflowModelVersion, where: string): string {
  if (version.runId === undefined) {
    throw new MlflowReferenceError(
      `${where} has no run_id: its reference needs the run that trained it`,
    );
  }
  return version.runId;
}

/** A logged time: epoch milliseconds (digits), or an RFC 3339 date or date-time (UTC if no zone). */
export function parseLoggedTime(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d{1,16}$/.test(trimmed)) return Number(trimmed);
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      trimmed,
    );
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const base = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    fraction === undefined ? 0 : Math.floor(Number(fraction) * 1000),
  );
  const check = new Date(base);
  if (check.getUTCDate() !== Number(day) || check.getUTCMonth() !== Number(month) - 1) {
    return undefined; // 2026-02-30
  }
  if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 60) {
    return undefined;
  }
  if (zone === undefined || zone.toUpperCase() === "Z") return base;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return base - sign * offsetMinutes * 60_000;
}

function windowTime(values: Readonly<Record<string, string>>, key: string, where: string): number {
  const text = values[key];
  if (text === undefined) {
    throw new MlflowReferenceError(`${where}: ${JSON.stringify(key)} is not logged`);
  }
  const time = parseLoggedTime(text);
  if (time === undefined) {
    throw new MlflowReferenceError(
      `${where}: ${JSON.stringify(key)} = ${JSON.stringify(text.slice(0, 100))} is not an RFC 3339 time or epoch milliseconds`,
    );
  }
  return time;
}
