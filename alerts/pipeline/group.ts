// Pipeline stage "wait/group": aggregation groups. Alerts routed to a receiver are grouped by the
// values of their group_by labels; a new group is flushed after group_wait, then at most once per
// group_interval, and never while its previous flush is still being delivered. Pure bookkeeping:
// the caller passes `now` and asks which groups are due.
import type { GroupSettings } from "../engine/compiled-rule.js";
import type { AlertState } from "../model/alert.js";
import { pickLabels, type Labels } from "../model/labels.js";
import { episodeId } from "../model/notification.js";

export interface AggregationGroup {
  readonly key: string;
  readonly receiver: string;
  readonly labels: Labels;
  readonly settings: GroupSettings;
  /** Firing alerts and resolved alerts whose resolve is still to be sent, by fingerprint. */
  readonly alerts: Map<string, AlertState>;
  readonly createdAt: number;
  nextFlushAt: number;
  inFlight: boolean;
}

/** `receiver/{groupBy labels}` plus the group_by list, so different groupings never mix. */
export function groupKey(receiver: string, settings: GroupSettings, labels: Labels): string {
  const picked = pickLabels(labels, settings.groupBy);
  const pairs = settings.groupBy.map((name) => `${name}=${JSON.stringify(picked[name])}`);
  return `${receiver}/{${pairs.join(",")}}`;
}

export class GroupRegistry {
  private readonly groups = new Map<string, AggregationGroup>();

  get size(): number {
    return this.groups.size;
  }

  values(): IterableIterator<AggregationGroup> {
    return this.groups.values();
  }

  get(key: string): AggregationGroup | undefined {
    return this.groups.get(key);
  }

  /** Put the latest version of a firing or resolved alert into its group for each receiver. */
  route(
    alert: AlertState,
    receivers: readonly string[],
    settings: GroupSettings,
    now: number,
  ): void {
    for (const receiver of receivers) {
      const key = groupKey(receiver, settings, alert.labels);
      let group = this.groups.get(key);
      if (group === undefined) {
        group = {
          key,
          receiver,
          labels: pickLabels(alert.labels, settings.groupBy),
          settings,
          alerts: new Map(),
          createdAt: now,
          nextFlushAt: now + settings.groupWaitMs,
          inFlight: false,
        };
        this.groups.set(key, group);
      }
      group.alerts.set(alert.fingerprint, alert);
    }
  }

  /** Whether any group still holds this episode of the alert. */
  holds(alert: AlertState): boolean {
    for (const group of this.groups.values()) {
      const held = group.alerts.get(alert.fingerprint);
      if (held !== undefined && episodeId(held) === episodeId(alert)) return true;
    }
    return false;
  }

  /** Forget an alert everywhere (e.g. a resolve that needs no notification). */
  remove(fingerprint: string): void {
    for (const group of this.groups.values()) group.alerts.delete(fingerprint);
  }

  /**
   * Groups whose flush time has come and that are not being delivered. An emptied group is kept
   * until its interval is over, so an alert that comes back at once waits for the interval
   * instead of a fresh group_wait (flapping does not spam); then it is dropped here.
   */
  due(now: number): AggregationGroup[] {
    const due: AggregationGroup[] = [];
    for (const group of this.groups.values()) {
      if (group.inFlight || group.nextFlushAt > now) continue;
      if (group.alerts.size === 0) this.groups.delete(group.key);
      else due.push(group);
    }
    return due;
  }

  /** Mark a group as being flushed; its next flush is one group_interval later. */
  beginFlush(group: AggregationGroup, now: number): void {
    group.inFlight = true;
    group.nextFlushAt = now + group.settings.groupIntervalMs;
  }

  /**
   * The flush is over: drop the resolved alerts whose resolve is done (`settled`, compared by
   * episode so a re-fired alert stays).
   */
  endFlush(group: AggregationGroup, settled: readonly AlertState[]): void {
    group.inFlight = false;
    for (const done of settled) {
      const current = group.alerts.get(done.fingerprint);
      if (
        current !== undefined &&
        current.state === "resolved" &&
        episodeId(current) === episodeId(done)
      ) {
        group.alerts.delete(done.fingerprint);
      }
    }
  }

  /** Earliest time a group becomes due (undefined when none is waiting). */
  nextDueAt(): number | undefined {
    let earliest: number | undefined;
    for (const group of this.groups.values()) {
      if (group.inFlight || group.alerts.size === 0) continue;
      if (earliest === undefined || group.nextFlushAt < earliest) earliest = group.nextFlushAt;
    }
    return earliest;
  }
}
