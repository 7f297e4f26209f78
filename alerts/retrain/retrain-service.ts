// Retrain requests, from a firing alert or from the API (POST /api/v1/models/:model/retrain):
// claim the model's cooldown (ClickHouse, shared by instances; in memory without a store), then
// call every requested retrain action through the retry and record stages. Requests a stopped
// process left unfinished are resumed with the same idempotency key.
import { storedText, type Logger } from "../../src/util/index.js";
import { createHash, randomUUID } from "node:crypto";
import { AlertsInputError, AlertsNotFoundError } from "../errors.js";
import type { RetrainAlertRef, RetrainRequest } from "../model/retrain-request.js";
import type { RetrainIntegrations } from "../notifiers/registry.js";
import { deliver, type DeliveryContext } from "../pipeline/deliver.js";
import type { RetrainStore } from "./retrain-store.js";

export const MODEL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface RetrainInput {
  readonly model: string;
  readonly modelVersion?: string;
  readonly source: "alert" | "api";
  readonly reason?: string;
  readonly requestedBy?: string;
  readonly alerts?: readonly RetrainAlertRef[];
  /** Action names; default: the actions of rules matching the model, else every action. */
  readonly actions?: readonly string[];
  /** Skip the cooldown check (the request still starts a new cooldown). */
  readonly force?: boolean;
  /** What makes two requests "the same episode" (alert episodes); default: the request id. */
  readonly episode?: string;
}

export interface RetrainDelivery {
  readonly action: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly reason?: string;
  readonly error?: string;
}

export type RetrainOutcome =
  | {
      readonly status: "triggered";
      readonly requestId: string;
      readonly actions: readonly string[];
      /** Settles when every action was delivered or gave up. */
      readonly delivered: Promise<readonly RetrainDelivery[]>;
    }
  | {
      readonly status: "cooldown";
      readonly requestId: string;
      readonly activeRequestId: string;
      readonly cooldownUntil: number;
    };

export interface RetrainServiceOptions {
  readonly actions: RetrainIntegrations;
  readonly cooldownMs: number;
  /** Default actions for a model (from the rules matching it). */
  readonly defaultActions: (model: string) => readonly string[];
  readonly store?: RetrainStore;
  readonly delivery: DeliveryContext;
  readonly logger?: Logger;
}

export class RetrainService {
  private readonly memoryClaims = new Map<string, { id: string; at: number }>();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: RetrainServiceOptions) {}

  get actionNames(): string[] {
    return [...this.options.actions.keys()];
  }

  /** Validate, claim the cooldown and start delivery. Throws AlertsInputError / AlertsNotFoundError. */
  async request(input: RetrainInput, now: number): Promise<RetrainOutcome> {
    if (typeof input.model !== "string" || !MODEL_NAME.test(input.model)) {
      throw new AlertsInputError("model", "must match [A-Za-z0-9_.-]{1,64}");
    }
    if (
      input.reason !== undefined &&
      (typeof input.reason !== "string" || input.reason.length > 1000)
    ) {
      throw new AlertsInputError("reason", "must be text of at most 1000 characters");
    }
    if (this.options.actions.size === 0) {
      throw new AlertsInputError(
        "actions",
        "no retrain actions are configured (alerts.retrain.actions)",
      );
    }
    const actions = this.resolveActions(input);
    const alerts = input.alerts ?? [];
    const id =
      input.source === "alert" && input.episode !== undefined
        ? createHash("sha256").update(`${input.model}\n${input.episode}`).digest("hex").slice(0, 32)
        : randomUUID().replace(/-/g, "");
    const request: RetrainRequest = {
      id,
      model: input.model,
      ...(input.modelVersion !== undefined ? { modelVersion: input.modelVersion } : {}),
      source: input.source,
      reason:
        input.reason ?? (input.source === "api" ? "requested through the API" : "alert fired"),
      requestedAt: now,
      ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
      alerts,
      actions,
    };
    const episode = input.episode ?? id;
    const claim = await this.claim(request, episode, input.force === true);
    if (!claim.won) {
      await this.options.store?.setStatus(
        request,
        episode,
        "skipped",
        `cooldown: ${claim.winnerId}`,
        now + 1,
      );
      this.options.logger?.info(
        { model: request.model, requestId: id, activeRequestId: claim.winnerId },
        "retrain skipped: the model is in its retrain cooldown",
      );
      return {
        status: "cooldown",
        requestId: id,
        activeRequestId: claim.winnerId,
        cooldownUntil: claim.winnerRequestedAt + this.options.cooldownMs,
      };
    }
    this.options.logger?.info(
      { model: request.model, requestId: id, actions, source: request.source },
      "retrain requested",
    );
    return {
      status: "triggered",
      requestId: id,
      actions,
      delivered: this.track(this.send(request, episode)),
    };
  }

  /** Re-deliver requests a stopped process left claimed but unfinished. */
  async resumeUnfinished(sinceMs: number): Promise<number> {
    const store = this.options.store;
    if (store === undefined) return 0;
    const unfinished = await store.unfinished(sinceMs);
    for (const { request, episode } of unfinished) {
      this.options.logger?.info(
        { model: request.model, requestId: request.id },
        "resuming an unfinished retrain request",
      );
      void this.track(this.send(request, episode));
    }
    return unfinished.length;
  }

  /** Resolves when no delivery is in progress. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private resolveActions(input: RetrainInput): string[] {
    if (input.actions !== undefined) {
      if (!Array.isArray(input.actions) || input.actions.length === 0) {
        throw new AlertsInputError("actions", "must name at least one retrain action");
      }
      for (const name of input.actions) {
        if (!this.options.actions.has(name))
          throw new AlertsNotFoundError("retrain action", String(name));
      }
      return [...new Set(input.actions)];
    }
    const defaults = this.options
      .defaultActions(input.model)
      .filter((name) => this.options.actions.has(name));
    return defaults.length > 0 ? [...new Set(defaults)] : this.actionNames;
  }

  private async claim(
    request: RetrainRequest,
    episode: string,
    force: boolean,
  ): Promise<{ won: true } | { won: false; winnerId: string; winnerRequestedAt: number }> {
    if (this.options.store !== undefined) {
      return this.options.store.claim(request, episode, this.options.cooldownMs, force);
    }
    const previous = this.memoryClaims.get(request.model);
    if (
      !force &&
      previous !== undefined &&
      previous.id !== request.id &&
      request.requestedAt - previous.at < this.options.cooldownMs
    ) {
      return { won: false, winnerId: previous.id, winnerRequestedAt: previous.at };
    }
    this.memoryClaims.set(request.model, { id: request.id, at: request.requestedAt });
    return { won: true };
  }

  private async send(request: RetrainRequest, episode: string): Promise<RetrainDelivery[]> {
    const results = await Promise.all(
      request.actions.map(async (name): Promise<RetrainDelivery> => {
        const integration = this.options.actions.get(name);
        if (integration === undefined)
          return {
            action: name,
            ok: false,
            attempts: 0,
            reason: "client_error",
            error: "unknown action",
          };
        const outcome = await deliver(
          integration,
          request,
          {
            notificationId: request.id,
            groupKey: `retrain/${request.model}`,
            rule: [...new Set(request.alerts.map((alert) => alert.rule))].join(","),
            model: request.model,
            receiver: name,
            kind: "retrain",
            firing: request.alerts.map((alert) => alert.fingerprint),
            resolved: [],
            detail: storedText(`${request.source}: ${request.reason}`, 500),
          },
          this.options.delivery,
        );
        const result = outcome.result;
        return result.ok
          ? { action: name, ok: true, attempts: outcome.attempts }
          : {
              action: name,
              ok: false,
              attempts: outcome.attempts,
              reason: result.reason,
              error: result.error,
            };
      }),
    );
    if (!this.options.delivery.signal.aborted) {
      const ok = results.every((result) => result.ok);
      const detail = results
        .map((result) => `${result.action}: ${result.ok ? "delivered" : result.reason}`)
        .join("; ");
      try {
        await this.options.store?.setStatus(
          request,
          episode,
          ok ? "delivered" : "failed",
          detail,
          Math.max(this.options.delivery.clock.now(), request.requestedAt + 1),
        );
      } catch (error) {
        this.options.logger?.warn(
          { err: (error as Error).message, requestId: request.id },
          "could not record the retrain status",
        );
      }
    }
    return results;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}
