// The alert engine the monitor drives (on the elected evaluator only): result batches go through
// the rules' state machines; firing and resolved alerts are grouped and flushed through the
// notification pipeline; retrain actions are requested when alerts fire. State lives in
// ClickHouse (loaded on start, changes written in batches) so a restart or fail-over neither
// re-fires nor loses a resolve. Lifecycle: construct, start(), processBatch() per evaluation, stop().
import type { SqlEngine } from "../../src/store/index.js";
import type { Logger } from "../../src/util/index.js";
import { parseDuration, type AlertsConfig } from "../../src/config/index.js";
import type { Registry } from "prom-client";
import { createAlertMetrics, type AlertMetrics } from "../metrics.js";
import type { AlertState, AlertStateName, AlertTransition } from "../model/alert.js";
import type { Labels } from "../model/labels.js";
import { episodeId } from "../model/notification.js";
import type { ResultBatch } from "../model/observation.js";
import type { HttpCall } from "../notifiers/http.js";
import {
  buildReceivers,
  buildRetrainActions,
  closeIntegrations,
  type ReceiverIntegrations,
  type RetrainIntegrations,
} from "../notifiers/registry.js";
import type { DeliveryContext } from "../pipeline/deliver.js";
import { GroupRegistry, type AggregationGroup } from "../pipeline/group.js";
import {
  compileInhibitRules,
  InhibitionIndex,
  inhibitStage,
  type InhibitRule,
} from "../pipeline/inhibit.js";
import { NotificationLog } from "../pipeline/notification-log.js";
import { DeliveryRecorder } from "../pipeline/record.js";
import { retryPolicy } from "../pipeline/retry-policy.js";
import { silenceStage } from "../pipeline/silence.js";
import { retrainServiceFor } from "../retrain/retrain-for-config.js";
import type { RetrainService } from "../retrain/retrain-service.js";
import { SilenceSet } from "../silences/silence.js";
import { systemClock, type Clock } from "../time/clock.js";
import { AlertIndex } from "./alert-index.js";
import { EngineLoop } from "./engine-loop.js";
import { openEngineStores, type EngineStores } from "./engine-stores.js";
import { RecentFailures } from "./recent-failures.js";
import { validateBatch } from "./batch-validation.js";
import { compileRules, type CompiledRule } from "./compiled-rule.js";
import type { Evaluation } from "./evaluate.js";
import { evaluateBatch } from "./batch-evaluation.js";
import { flushGroup, type FlushOutcome } from "./notifier.js";
import { triggerRetrains } from "./retrain-trigger.js";
import { StateWriter } from "./state-writer.js";

export interface AlertEngineOptions {
  readonly config: AlertsConfig;
  /** Where state lives; without it the engine keeps everything in memory. */
  readonly store?: { readonly engine: SqlEngine; readonly database: string };
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Uniform [0, 1) for retry jitter (default Math.random). */
  readonly random?: () => number;
  /** HTTP call for webhooks (default fetch). */
  readonly http?: HttpCall;
  /** Integrations per receiver, instead of building them from the config. */
  readonly receivers?: ReceiverIntegrations;
  readonly retrainActions?: RetrainIntegrations;
  /** Prometheus registry the engine's metrics are registered on (the one /metrics serves). */
  readonly registry?: Registry;
}

export interface TransitionRecord {
  readonly rule: string;
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly transition: AlertTransition;
}

export interface BatchResult {
  readonly transitions: readonly TransitionRecord[];
}

/** How far back the notification log and unfinished retrain requests are read on start. */
const LOOKBACK_MS = 7 * 86_400_000;

export class AlertEngine {
  readonly retrain: RetrainService;
  private readonly config: AlertsConfig;
  private readonly clock: Clock;
  private readonly logger?: Logger;
  private readonly rules: CompiledRule[];
  private readonly rulesByName: Map<string, CompiledRule>;
  private readonly inhibitRules: InhibitRule[];
  private readonly alerts = new AlertIndex();
  private readonly writer: StateWriter;
  private readonly groups = new GroupRegistry();
  private readonly log = new NotificationLog();
  private readonly recorder: DeliveryRecorder;
  private readonly receivers: ReceiverIntegrations;
  private readonly retrainActions: RetrainIntegrations;
  private readonly delivery: DeliveryContext;
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stores?: EngineStores;
  private silences = new SilenceSet();
  private activeDeliveries = 0;
  private waitingDeliveries = 0;
  private loop?: EngineLoop;
  private stopped = false;
  private readonly failures = new RecentFailures();
  private readonly metrics?: AlertMetrics;

  constructor(options: AlertEngineOptions) {
    this.config = options.config;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.rules = compileRules(this.config);
    this.rulesByName = new Map(this.rules.map((rule) => [rule.name, rule]));
    this.inhibitRules = compileInhibitRules(this.config.inhibitRules);
    if (options.registry !== undefined) {
      this.metrics = createAlertMetrics(options.registry, () => this.countByState());
    }
    if (options.store !== undefined) {
      this.stores = openEngineStores(options.store, this.clock, this.logger);
    }
    this.writer = new StateWriter(this.stores?.state, this.logger, (rows) =>
      this.metrics?.rowsRefused("alerts", rows),
    );
    this.recorder = new DeliveryRecorder({
      ...(this.stores !== undefined ? { writer: this.stores.deliveries } : {}),
      ...(this.logger !== undefined ? { logger: this.logger } : {}),
      onRefused: (rows) => this.metrics?.rowsRefused("notifications", rows),
      onRow: (row) => {
        if (row.status === "failed") this.failures.record(row.sentAt);
      },
    });
    const built = {
      alerts: this.config,
      ...(options.http !== undefined ? { http: options.http } : {}),
      ...(this.logger !== undefined ? { logger: this.logger } : {}),
    };
    this.receivers = options.receivers ?? buildReceivers(built);
    this.retrainActions = options.retrainActions ?? buildRetrainActions(built);
    this.delivery = {
      clock: this.clock,
      signal: this.abort.signal,
      policy: retryPolicy(this.config.delivery),
      recorder: this.recorder,
      onWait: (waiting) => {
        this.waitingDeliveries += waiting ? 1 : -1;
      },
      ...(this.logger !== undefined ? { logger: this.logger } : {}),
      ...(options.random !== undefined ? { random: options.random } : {}),
      ...(this.metrics !== undefined ? { metrics: this.metrics } : {}),
    };
    this.retrain = retrainServiceFor({
      config: this.config,
      rules: this.rules,
      actions: this.retrainActions,
      delivery: this.delivery,
      ...(this.stores !== undefined ? { store: this.stores.retrain } : {}),
      ...(this.logger !== undefined ? { logger: this.logger } : {}),
    });
  }

  /**
   * Load persisted state (alerts, notification log, silences, unfinished retrains) and, unless
   * `loop: false`, start the background loop that flushes groups and writes state.
   */
  async start(options: { readonly loop?: boolean } = {}): Promise<void> {
    const now = this.clock.now();
    if (this.stores !== undefined) {
      for (const alert of await this.stores.state.loadLive()) this.restore(alert, now);
      for (const loaded of await this.stores.deliveries.loadNotificationLog(now - LOOKBACK_MS)) {
        this.log.set(loaded.groupKey, loaded.integration, loaded.entry);
      }
      await this.reloadSilences();
      await this.retrain.resumeUnfinished(now - LOOKBACK_MS);
      this.logger?.info(
        { alerts: this.alerts.size, groups: this.groups.size, notificationLog: this.log.size },
        "alert engine resumed from persisted state",
      );
    }
    if (options.loop !== false) {
      this.loop = new EngineLoop(
        {
          tick: (now) => this.tick(now),
          persist: () => this.persist(),
          reloadSilences: () => this.reloadSilences(),
          nextDueAt: () => this.groups.nextDueAt(),
        },
        {
          tickMs: parseDuration(this.config.engine.tickInterval),
          persistMs: Math.min(
            parseDuration(this.config.engine.stateFlushInterval),
            parseDuration(this.config.delivery.logFlushInterval),
          ),
          silenceReloadMs: parseDuration(this.config.silences.reloadInterval),
        },
        this.clock,
        this.logger,
      );
      this.loop.start();
    }
  }

  /** Evaluate every rule against one result batch at `now`. Throws AlertsInputError on a malformed batch. */
  processBatch(batch: ResultBatch, now: number = this.clock.now()): BatchResult {
    validateBatch(batch);
    const transitions: TransitionRecord[] = [];
    const fired: { rule: CompiledRule; alert: AlertState }[] = [];
    for (const { rule, previous, evaluation } of evaluateBatch(
      this.rules,
      this.alerts,
      batch,
      now,
    )) {
      this.apply(rule, previous, evaluation, now, transitions, fired);
    }
    if (fired.length > 0) triggerRetrains(this.retrain, fired, now, this.logger);
    this.wake();
    return { transitions };
  }

  /** Start flushing every group that is due at `now`; returns how many flushes started. */
  tick(now: number = this.clock.now()): number {
    if (this.stopped) return 0;
    const due = this.groups.due(now);
    if (due.length === 0) return 0;
    const inhibition = new InhibitionIndex(this.inhibitRules, this.alerts.values());
    for (const group of due) {
      this.groups.beginFlush(group, now);
      const afterInhibit = inhibitStage([...group.alerts.values()], inhibition).kept;
      const visible = silenceStage(afterInhibit, this.silences, now).kept;
      const integrations = this.receivers.get(group.receiver) ?? [];
      this.activeDeliveries++;
      const flush: Promise<void> = flushGroup(
        group,
        visible,
        integrations,
        this.log,
        this.delivery,
        now,
      )
        .then((outcome) => this.afterFlush(group, outcome))
        .catch((error: unknown) => {
          this.groups.endFlush(group, []);
          this.logger?.error(
            { err: (error as Error).message, group: group.key },
            "group flush failed",
          );
        })
        .finally(() => {
          this.activeDeliveries--;
          this.inFlight.delete(flush);
        });
      this.inFlight.add(flush);
    }
    return due.length;
  }

  /** Write changed alert states and queued delivery-log rows now (one insert each). */
  async persist(): Promise<void> {
    // Entries of groups long gone dedup nothing any more: the log stays bounded.
    const live = new Set([...this.groups.values()].map((group) => group.key));
    this.log.prune(this.clock.now() - LOOKBACK_MS, live);
    await this.writer.flush();
    await this.recorder.flush();
  }

  /** Notifications that failed for good (every retry spent) within the last 15 minutes. */
  notificationFailures(now: number = this.clock.now()): number {
    return this.failures.count(now);
  }

  /** Re-read silences from ClickHouse (the API may run on another instance). */
  async reloadSilences(): Promise<void> {
    if (this.stores === undefined) return;
    try {
      this.silences = new SilenceSet(await this.stores.silences.list(this.clock.now()));
    } catch (error) {
      this.logger?.warn(
        { err: (error as Error).message },
        "could not reload silences; keeping the previous set",
      );
    }
  }

  /** Replace the silences (an engine without a store, or the API on the same instance). */
  setSilences(silences: SilenceSet): void {
    this.silences = silences;
  }

  /** Resolves once no group flush or retrain delivery is in progress. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.retrain.whenIdle();
  }

  /** Flushes in progress, and how many of them are waiting between retries (for tests). */
  get deliveries(): { readonly active: number; readonly waiting: number } {
    return { active: this.activeDeliveries, waiting: this.waitingDeliveries };
  }

  /** When the next group becomes due (undefined when none is waiting). */
  nextDueAt(): number | undefined {
    return this.groups.nextDueAt();
  }

  /** The alerts tracked now, optionally only some states. */
  listAlerts(states?: readonly AlertStateName[]): AlertState[] {
    const all = [...this.alerts.values()];
    return states === undefined ? all : all.filter((alert) => states.includes(alert.state));
  }

  /** Counts by state (for the metrics gauge). */
  countByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const alert of this.alerts.values()) counts[alert.state] = (counts[alert.state] ?? 0) + 1;
    return counts;
  }

  /** Stop the loop, abort deliveries in progress (they resume after a restart), write state. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.loop?.stop();
    this.abort.abort(new Error("alert engine stopping"));
    await this.whenIdle();
    await this.writer.flush({ includeLazy: true });
    await this.recorder.flush();
    await closeIntegrations([...this.receivers.values(), ...this.retrainActions.values()]);
  }

  private apply(
    rule: CompiledRule,
    previous: AlertState | undefined,
    evaluation: Evaluation,
    now: number,
    transitions: TransitionRecord[],
    fired: { rule: CompiledRule; alert: AlertState }[],
  ): void {
    const next = evaluation.state;
    if (next === undefined || next === previous) return;
    this.markDirty(next);
    if (evaluation.transition !== undefined) {
      transitions.push({
        rule: rule.name,
        fingerprint: next.fingerprint,
        labels: next.labels,
        transition: evaluation.transition,
      });
      this.metrics?.transition(evaluation.transition);
    }
    if (next.state === "inactive") {
      this.alerts.delete(next);
      return;
    }
    this.alerts.set(next);
    if (evaluation.transition === "firing") fired.push({ rule, alert: next });
    if (next.state === "firing" || next.state === "resolved") this.route(rule, next, now);
  }

  private route(rule: CompiledRule, alert: AlertState, now: number): void {
    if (alert.state === "resolved" && rule.receivers.length === 0) {
      this.settleResolve(alert, now);
      return;
    }
    this.groups.route(alert, rule.receivers, rule.group, now);
  }

  private restore(alert: AlertState, now: number): void {
    const rule = this.rulesByName.get(alert.rule);
    if (rule === undefined) {
      this.logger?.info(
        { rule: alert.rule, fingerprint: alert.fingerprint },
        "dropping the alert of a rule no longer configured",
      );
      this.markDirty({
        ...alert,
        state: "inactive",
        updatedAt: Math.max(now, alert.updatedAt + 1),
      });
      return;
    }
    this.alerts.set(alert);
    if (alert.state === "firing" || alert.state === "resolved") this.route(rule, alert, now);
  }

  private afterFlush(group: AggregationGroup, outcome: FlushOutcome): void {
    const now = this.clock.now();
    for (const sent of outcome.deliveredFiring) {
      const current = this.alerts.get(sent.rule, sent.fingerprint);
      if (
        current !== undefined &&
        current.state === "firing" &&
        episodeId(current) === episodeId(sent)
      ) {
        // lastSentAt is informational (dedup rests on the delivery log): it is written with the
        // alert's next change, or on stop, not as a row of its own.
        const sentAt = {
          ...current,
          lastSentAt: now,
          updatedAt: Math.max(now, current.updatedAt + 1),
        };
        this.alerts.set(sentAt);
        this.writer.changedLazily(sentAt);
      }
    }
    this.groups.endFlush(group, outcome.settledResolved);
    for (const resolved of outcome.settledResolved) {
      if (!this.groups.holds(resolved)) this.settleResolve(resolved, now);
    }
    this.wake();
  }

  /** The resolve of this episode needs no more notifications: persist and forget it. */
  private settleResolve(alert: AlertState, now: number): void {
    const current = this.alerts.get(alert.rule, alert.fingerprint);
    if (
      current === undefined ||
      current.state !== "resolved" ||
      episodeId(current) !== episodeId(alert)
    )
      return;
    this.markDirty({
      ...current,
      resolveSentAt: now,
      updatedAt: Math.max(now, current.updatedAt + 1),
    });
    this.alerts.delete(current);
  }

  private markDirty(alert: AlertState): void {
    this.writer.changed(alert);
  }

  private wake(): void {
    this.loop?.wake();
  }
}
