// The monitor's operations (MonitorOperations: what the HTTP API and the CLI ask): list models,
// set and read references, register versions, the status gate, evaluate now. Changes are
// recorded in driftwatch.audit_log through src/audit. Evaluations share the process's window
// runner (one queue) with the scheduler.
import { AuditLog, type AuditAction } from "../audit/index.js";
import type { DriftwatchConfig } from "../config/index.js";
import { tableRef, type SqlEngine, sql } from "../store/index.js";
import { listModels } from "./model-list.js";
import { modelSettings } from "./model-settings.js";
import { readModelStatus } from "./model-status.js";
import type {
  Actor,
  EvaluationSummary,
  ModelStatus,
  ModelSummary,
  MonitorOperations,
  ReferenceInfo,
  ReferenceSpec,
} from "./operations.js";
import {
  MonitorInputError,
  type ReferenceDefinition,
  type ReferenceStore,
} from "./reference-store.js";
import type { DueWindow } from "./window-plan.js";
import type { WindowRunner } from "./window-runner.js";

const MODEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const VERSION_MAX = 128;

export interface MonitorOperationsOptions {
  readonly config: DriftwatchConfig;
  readonly engine: SqlEngine;
  readonly references: ReferenceStore;
  readonly runner: WindowRunner;
  readonly now: () => number;
}

export class MonitorOperationsService implements MonitorOperations {
  private readonly database: string;
  private readonly audit: AuditLog;

  constructor(private readonly options: MonitorOperationsOptions) {
    this.database = options.config.clickhouse.database;
    this.audit = new AuditLog(options.engine, this.database, options.now);
  }

  listModels(): Promise<ModelSummary[]> {
    return listModels(this.options.engine, this.database, this.options.config.models);
  }

  async getModel(model: string): Promise<ModelSummary | undefined> {
    checkModelName(model);
    return (await this.listModels()).find((summary) => summary.model === model);
  }

  async setReference(
    model: string,
    modelVersion: string,
    spec: ReferenceSpec,
    actor: Actor,
  ): Promise<ReferenceInfo> {
    checkModelName(model);
    checkVersion(modelVersion);
    const definition = await this.options.references.set(
      model,
      modelVersion,
      spec,
      actor.name,
      this.options.now(),
    );
    await this.record(actor, "reference.set", `${model}@${modelVersion}`, {
      kind: definition.kind,
      rows: definition.rows,
      from: definition.from,
      to: definition.to,
      days: definition.days,
    });
    return publicInfo(definition);
  }

  async getReference(model: string, modelVersion: string): Promise<ReferenceInfo | undefined> {
    checkModelName(model);
    checkVersion(modelVersion);
    const definition = await this.options.references.get(model, modelVersion);
    return definition === undefined ? undefined : publicInfo(definition);
  }

  async registerVersion(
    model: string,
    modelVersion: string,
    reference: ReferenceSpec | undefined,
    actor: Actor,
  ): Promise<{ model: string; modelVersion: string; reference?: ReferenceInfo }> {
    checkModelName(model);
    checkVersion(modelVersion);
    await this.record(actor, "version.register", `${model}@${modelVersion}`, {
      reference: reference?.kind ?? null,
    });
    if (reference === undefined) return { model, modelVersion };
    return {
      model,
      modelVersion,
      reference: await this.setReference(model, modelVersion, reference, actor),
    };
  }

  async status(model: string): Promise<ModelStatus> {
    checkModelName(model);
    return readModelStatus(this.options.engine, this.database, model);
  }

  async evaluate(
    model: string,
    actor: Actor,
    window?: { readonly from: number; readonly to: number },
  ): Promise<EvaluationSummary[]> {
    checkModelName(model);
    if (window !== undefined && !(window.from < window.to)) {
      throw new MonitorInputError("window.from", "must be before window.to");
    }
    await this.record(actor, "evaluate", model, window ?? {});
    const { runner } = this.options;
    if (window === undefined) return runner.evaluateDue(model, { rethrow: true });
    const versions = await this.options.engine.query<{ model_version: string }>(
      sql`SELECT DISTINCT model_version FROM ${tableRef(this.database, "predictions")}
  WHERE model = ${model} AND ts >= toDateTime(${Math.floor(window.from / 1000)})
    AND ts < toDateTime(${Math.floor(window.to / 1000)}) ORDER BY model_version`,
    );
    const settings = modelSettings(this.options.config.models, model);
    const summaries: EvaluationSummary[] = [];
    for (const row of versions) {
      const item: DueWindow = {
        key: {
          model,
          modelVersion: row.model_version,
          windowStart: window.from,
          windowEnd: window.to,
        },
        performance: true,
        why: "new",
      };
      summaries.push((await runner.run(settings, item, true)).summary);
    }
    return summaries;
  }

  private async record(
    actor: Actor,
    action: AuditAction,
    target: string,
    detail: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    await this.audit.record({ actor: actor.name, action, target, detail });
  }
}

function checkModelName(model: string): void {
  if (!MODEL_NAME.test(model))
    throw new MonitorInputError("model", "must match [A-Za-z0-9_.-]{1,64}");
}

function checkVersion(modelVersion: string): void {
  if (modelVersion.length === 0 || modelVersion.length > VERSION_MAX) {
    throw new MonitorInputError("modelVersion", `must be 1 to ${VERSION_MAX} characters`);
  }
}

function publicInfo(definition: ReferenceDefinition): ReferenceInfo {
  const { referenceId: _id, ...info } = definition;
  void _id;
  return info;
}
