// CONTRACT between the monitoring engine (src/monitor, implements it) and the HTTP API / CLI
// (src/api, src/cli, call it). Written by the lead so both can be built in parallel; the monitor
// work may add members but keeps these. All times are epoch milliseconds (UTC).

/** Who asked for a change: recorded in driftwatch.audit_log. */
export interface Actor {
  /** Token name for API calls, `cli:<user>` for the CLI, `system` for the service itself. */
  readonly name: string;
}

/** Where a model version's reference rows come from. */
export type ReferenceSpec =
  | { readonly kind: "fixed"; readonly from: number; readonly to: number }
  | { readonly kind: "rolling"; readonly days: number }
  | {
      readonly kind: "dataset";
      /** Rows as parsed from an uploaded CSV/JSONL file: feature name → value (null = missing). */
      readonly rows: ReadonlyArray<Readonly<Record<string, number | string | boolean | null>>>;
      /** Optional prediction/label columns inside the rows. */
      readonly predictionColumn?: string;
      readonly labelColumn?: string;
    };

export interface ReferenceInfo {
  readonly model: string;
  readonly modelVersion: string;
  readonly kind: ReferenceSpec["kind"];
  readonly rows: number;
  readonly createdAt: number;
  readonly createdBy: string;
  /** For fixed references; for rolling ones, `days`. */
  readonly from?: number;
  readonly to?: number;
  readonly days?: number;
}

export interface ModelSummary {
  readonly model: string;
  /** Declared in the config, or only seen in the events. */
  readonly configured: boolean;
  readonly task?: "binary" | "multiclass" | "regression";
  readonly versions: readonly string[];
  readonly latestVersion?: string;
  readonly lastEventAt?: number;
}

export type ModelState = "ok" | "drifting" | "degraded" | "unknown";

export interface ModelStatus {
  readonly model: string;
  readonly modelVersion?: string;
  readonly state: ModelState;
  /** Human-readable reasons, e.g. "income: wasserstein_normed 0.31 ≥ 0.1". */
  readonly reasons: readonly string[];
  readonly windowStart?: number;
  readonly windowEnd?: number;
  readonly evaluatedAt?: number;
}

export interface EvaluationSummary {
  readonly model: string;
  readonly modelVersion: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly rows: number;
  readonly driftShare: number | null;
  readonly drifted: boolean;
  readonly skippedReason?: string;
}

/** What the API and CLI may ask of the monitoring engine. */
export interface MonitorOperations {
  listModels(): Promise<ModelSummary[]>;
  getModel(model: string): Promise<ModelSummary | undefined>;
  /** Set (replace) the reference of a model version. */
  setReference(
    model: string,
    modelVersion: string,
    spec: ReferenceSpec,
    actor: Actor,
  ): Promise<ReferenceInfo>;
  getReference(model: string, modelVersion: string): Promise<ReferenceInfo | undefined>;
  /** Register a new model version (after retraining), optionally with its reference. */
  registerVersion(
    model: string,
    modelVersion: string,
    reference: ReferenceSpec | undefined,
    actor: Actor,
  ): Promise<{ model: string; modelVersion: string; reference?: ReferenceInfo }>;
  status(model: string): Promise<ModelStatus>;
  /** Evaluate now: the given window, or every due window of the model when omitted. */
  evaluate(
    model: string,
    actor: Actor,
    window?: { readonly from: number; readonly to: number },
  ): Promise<EvaluationSummary[]>;
}
