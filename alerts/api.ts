// What the HTTP API routes (and CLI) call: list alerts, manage silences, request a retrain
// (POST /api/v1/models/:model/retrain). Works on any instance — state is read from and written to
// ClickHouse; when the alert engine runs in the same process, silences take effect at once.
import type { SqlEngine } from "../src/store/index.js";
import type { Logger } from "../src/util/index.js";
import { parseDuration, type AlertsConfig } from "../src/config/index.js";
import { compileRules } from "./engine/compiled-rule.js";
import type { AlertEngine } from "./engine/alert-engine.js";
import { AlertsInputError } from "./errors.js";
import { ALERT_STATES, type AlertStateName } from "./model/alert.js";
import type { HttpCall } from "./notifiers/http.js";
import { buildRetrainActions, closeIntegrations } from "./notifiers/registry.js";
import { DeliveryRecorder } from "./pipeline/record.js";
import { retryPolicy } from "./pipeline/retry-policy.js";
import { retrainServiceFor } from "./retrain/retrain-for-config.js";
import type { RetrainOutcome, RetrainService } from "./retrain/retrain-service.js";
import { RetrainStore } from "./retrain/retrain-store.js";
import { SilenceSet } from "./silences/silence.js";
import { AlertStateStore } from "./store/alert-state-store.js";
import { DeliveryLogStore } from "./store/delivery-log-store.js";
import { SilenceStore, type CreateSilenceInput } from "./store/silence-store.js";
import { systemClock, type Clock } from "./time/clock.js";
import { alertView, silenceView, type AlertView, type SilenceView } from "./views.js";

export interface AlertsApiOptions {
  readonly config: AlertsConfig;
  readonly store: { readonly engine: SqlEngine; readonly database: string };
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly http?: HttpCall;
  /**
   * The alert engine running in this process now, if any (it runs on the elected evaluator only,
   * so it may come and go): silences reach it at once, and retrains go through its service.
   */
  readonly engine?: () => AlertEngine | undefined;
}

export interface RetrainApiInput {
  readonly reason?: string;
  readonly requestedBy?: string;
  readonly actions?: readonly string[];
  readonly modelVersion?: string;
  /** Ignore the model's cooldown. */
  readonly force?: boolean;
}

export interface AlertsApi {
  /** Alerts in the given states (default pending and firing), from ClickHouse. */
  listAlerts(states?: readonly string[]): Promise<AlertView[]>;
  /** Silences (active and pending; with `includeExpired`, all). */
  listSilences(options?: { readonly includeExpired?: boolean }): Promise<SilenceView[]>;
  /** Throws AlertsInputError naming the bad field. */
  createSilence(input: CreateSilenceInput): Promise<SilenceView>;
  /** Throws AlertsNotFoundError for an unknown id. */
  expireSilence(id: string): Promise<SilenceView>;
  /** Claim the model's cooldown and call its retrain actions; resolves once claimed. */
  requestRetrain(model: string, input?: RetrainApiInput): Promise<RetrainOutcome>;
  /** Wait for retrain deliveries in progress, write their log, release integrations. */
  close(): Promise<void>;
}

export function createAlertsApi(options: AlertsApiOptions): AlertsApi {
  const clock = options.clock ?? systemClock;
  const { engine: sqlEngine, database } = options.store;
  const states = new AlertStateStore(sqlEngine, database);
  const silences = new SilenceStore(sqlEngine, database, {
    clock,
    ...(options.logger !== undefined ? { logger: options.logger } : {}),
  });
  const limits = {
    defaultDurationMs: parseDuration(options.config.silences.defaultDuration),
    maxDurationMs: parseDuration(options.config.silences.maxDuration),
  };
  const refreshEngineSilences = async () => {
    const engine = options.engine?.();
    if (engine !== undefined) engine.setSilences(new SilenceSet(await silences.list(clock.now())));
  };

  let ownRetrain:
    { service: RetrainService; recorder: DeliveryRecorder; close: () => Promise<void> } | undefined;
  const retrainService = (): { service: RetrainService; recorder?: DeliveryRecorder } => {
    const engine = options.engine?.();
    if (engine !== undefined) return { service: engine.retrain };
    if (ownRetrain === undefined) {
      const recorder = new DeliveryRecorder({
        writer: new DeliveryLogStore(sqlEngine, database),
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      });
      const actions = buildRetrainActions({
        alerts: options.config,
        ...(options.http !== undefined ? { http: options.http } : {}),
      });
      const abort = new AbortController();
      const service = retrainServiceFor({
        config: options.config,
        rules: compileRules(options.config),
        actions,
        store: new RetrainStore(sqlEngine, database),
        delivery: {
          clock,
          signal: abort.signal,
          policy: retryPolicy(options.config.delivery),
          recorder,
          ...(options.logger !== undefined ? { logger: options.logger } : {}),
        },
        ...(options.logger !== undefined ? { logger: options.logger } : {}),
      });
      ownRetrain = {
        service,
        recorder,
        close: async () => {
          await service.whenIdle();
          await recorder.flush();
          await closeIntegrations(actions.values());
        },
      };
    }
    return ownRetrain;
  };

  return {
    async listAlerts(requested) {
      const wanted = (requested ?? ["pending", "firing"]).map((state, index) => {
        if (!(ALERT_STATES as readonly string[]).includes(state)) {
          throw new AlertsInputError(
            `states[${index}]`,
            `must be one of ${ALERT_STATES.join(", ")}`,
          );
        }
        return state as AlertStateName;
      });
      return (await states.list(wanted)).map(alertView);
    },
    async listSilences(listOptions = {}) {
      const now = clock.now();
      const all = await silences.list(listOptions.includeExpired === true ? undefined : now);
      return all.map((silence) => silenceView(silence, now));
    },
    async createSilence(input) {
      const now = clock.now();
      const silence = await silences.create(input, now, limits);
      await refreshEngineSilences();
      return silenceView(silence, now);
    },
    async expireSilence(id) {
      const now = clock.now();
      const silence = await silences.expire(id, now);
      await refreshEngineSilences();
      return silenceView(silence, now);
    },
    async requestRetrain(model, input = {}) {
      const { service, recorder } = retrainService();
      const outcome = await service.request(
        {
          model,
          source: "api",
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          ...(input.requestedBy !== undefined ? { requestedBy: input.requestedBy } : {}),
          ...(input.actions !== undefined ? { actions: input.actions } : {}),
          ...(input.modelVersion !== undefined ? { modelVersion: input.modelVersion } : {}),
          ...(input.force !== undefined ? { force: input.force } : {}),
        },
        clock.now(),
      );
      if (outcome.status === "triggered" && recorder !== undefined) {
        void outcome.delivered.finally(() => recorder.flush()).catch(() => undefined);
      }
      return outcome;
    },
    async close() {
      await ownRetrain?.close();
    },
  };
}
