// The models driftwatch knows: those seen in events (with their versions and latest event),
// versions registered with a reference but not seen yet, and models declared in the config.
import type { ModelConfig } from "../config/index.js";
import { tableRef, type SqlEngine, readModelCatalog, sql } from "../store/index.js";
import { modelSettings } from "./model-settings.js";
import type { ModelSummary } from "./operations.js";

export async function listModels(
  engine: SqlEngine,
  database: string,
  models: readonly ModelConfig[],
): Promise<ModelSummary[]> {
  // The catalog (a few rows per model), not a scan of every prediction.
  const seen = await readModelCatalog(engine, database);
  const byName = new Map<string, ModelSummary>();
  for (const row of seen) {
    const settings = modelSettings(models, row.model);
    byName.set(row.model, {
      model: row.model,
      configured: settings.configured,
      ...(settings.configured ? { task: settings.config.task } : {}),
      versions: [...row.versions],
      latestVersion: row.latestVersion,
      lastEventAt: row.lastEventAt,
    });
  }
  // Versions registered with a reference but not seen in events yet.
  const referenced = await engine.query<{ model: string; model_version: string }>(
    sql`SELECT DISTINCT model, model_version FROM ${tableRef(database, "model_references")}`,
  );
  for (const row of referenced) {
    const known = byName.get(row.model);
    if (known?.versions.includes(row.model_version) === true) continue;
    const settings = modelSettings(models, row.model);
    byName.set(row.model, {
      ...(known ?? {
        model: row.model,
        configured: settings.configured,
        ...(settings.configured ? { task: settings.config.task } : {}),
      }),
      versions: [...(known?.versions ?? []), row.model_version].sort(),
    });
  }
  for (const model of models) {
    if (!byName.has(model.name)) {
      byName.set(model.name, {
        model: model.name,
        configured: true,
        task: model.task,
        versions: [],
      });
    }
  }
  return [...byName.values()].sort((a, b) => (a.model < b.model ? -1 : 1));
}
