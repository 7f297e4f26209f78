// Which models the ingester takes: the `ingest.models` allow / deny globs, and at most
// `ingest.maxModels` distinct models. The count starts from the model catalog in ClickHouse
// (models with events inside the predictions retention), so it holds across instances and
// restarts; it is read again every `refreshMs` to see models other instances admitted.
// Between refreshes, instances admitting new models at the same moment can each take the last
// free slot: the limit may be passed by at most one model per instance.
import picomatch from "picomatch";
import { quotedText } from "../util/index.js";

export interface ModelGateSettings {
  /** Globs of the models to take (e.g. ["credit-*"]); ["*"] takes every model. */
  readonly allow: readonly string[];
  /** Globs of models to refuse even when allowed. */
  readonly deny: readonly string[];
  /** Distinct models kept at most; new ones beyond are dead-lettered. */
  readonly maxModels: number;
}

export type GateReason = "model_not_allowed" | "too_many_models";

export interface GateRefusal {
  readonly reason: GateReason;
  readonly detail: string;
}

/** Names whose glob verdict is remembered; the memo is cleared when it grows past this. */
const MEMO_LIMIT = 10_000;

export class ModelGate {
  private readonly allowed: (name: string) => boolean;
  private readonly denied: (name: string) => boolean;
  private readonly globVerdicts = new Map<string, boolean>();
  private known = new Set<string>();
  /** Models admitted by this process since the read in progress began. */
  private admittedSinceRead = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: ModelGateSettings,
    /** The models with events in ClickHouse (the catalog), for the count. */
    private readonly readKnown: () => Promise<readonly string[]>,
    private readonly refreshMs = 60_000,
  ) {
    const options = { dot: true, strictBrackets: true };
    this.allowed =
      settings.allow.length === 0 ? () => true : picomatch([...settings.allow], options);
    this.denied = settings.deny.length === 0 ? () => false : picomatch([...settings.deny], options);
  }

  get loaded(): boolean {
    return Number.isFinite(this.loadedAt);
  }

  /** Models counted now (known from ClickHouse and admitted since). */
  get count(): number {
    return this.known.size;
  }

  /** Read the known models (throws when ClickHouse is unavailable; the old set stays). */
  async load(now = Date.now()): Promise<void> {
    const admitted = new Set<string>();
    this.admittedSinceRead = admitted;
    const known = new Set(await this.readKnown());
    // Models admitted while the read ran are kept (their rows may not be stored yet).
    for (const name of admitted) known.add(name);
    this.known = known;
    this.loadedAt = now;
  }

  /** Whether the known set is older than `refreshMs`. */
  isStale(now = Date.now()): boolean {
    return now - this.loadedAt >= this.refreshMs;
  }

  /** Undefined when an event of `model` may be stored (a new model is counted from now on). */
  check(model: string): GateRefusal | undefined {
    if (!this.passesGlobs(model)) {
      return {
        reason: "model_not_allowed",
        detail: `model: ${quotedText(model, 80)} is not allowed by ingest.models (allow ${JSON.stringify(this.settings.allow)}, deny ${JSON.stringify(this.settings.deny)})`,
      };
    }
    if (this.known.has(model)) return undefined;
    if (this.known.size >= this.settings.maxModels) {
      return {
        reason: "too_many_models",
        detail: `model: ${quotedText(model, 80)} would be a new model beyond ingest.maxModels (${this.settings.maxModels} models have events)`,
      };
    }
    this.known.add(model);
    this.admittedSinceRead.add(model);
    return undefined;
  }

  private passesGlobs(model: string): boolean {
    let verdict = this.globVerdicts.get(model);
    if (verdict === undefined) {
      verdict = this.allowed(model) && !this.denied(model);
      if (this.globVerdicts.size >= MEMO_LIMIT) this.globVerdicts.clear();
      this.globVerdicts.set(model, verdict);
    }
    return verdict;
  }
}
