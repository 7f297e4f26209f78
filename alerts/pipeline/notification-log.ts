// The notification log: per aggregation group and integration, what was last delivered — the
// firing and resolved episodes, when, under which id, and the Slack thread of the episode. The
// dedup stage reads it; it is rebuilt from the delivery log (driftwatch.notifications) on start.

export interface NotificationLogEntry {
  /** Fingerprints of the alerts reported as firing. */
  readonly firing: ReadonlySet<string>;
  readonly resolved: ReadonlySet<string>;
  readonly sentAt: number;
  readonly notificationId: string;
  readonly threadRef?: string;
}

export class NotificationLog {
  private readonly entries = new Map<string, NotificationLogEntry>();

  static key(groupKey: string, integration: string): string {
    return `${groupKey}\u0000${integration}`;
  }

  get(groupKey: string, integration: string): NotificationLogEntry | undefined {
    return this.entries.get(NotificationLog.key(groupKey, integration));
  }

  set(groupKey: string, integration: string, entry: NotificationLogEntry): void {
    this.entries.set(NotificationLog.key(groupKey, integration), entry);
  }

  /** Drop entries whose group is gone and that are older than `before` (nothing left to dedup). */
  prune(before: number, liveGroups: ReadonlySet<string>): void {
    for (const [key, entry] of this.entries) {
      const groupKey = key.slice(0, key.indexOf("\u0000"));
      if (entry.sentAt < before && !liveGroups.has(groupKey)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
