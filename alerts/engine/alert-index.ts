// The engine's in-memory alerts: the current state per (rule, fingerprint), indexed by
// (rule, model) so a batch only visits the alerts it can affect.
import type { AlertState } from "../model/alert.js";

export class AlertIndex {
  private readonly byKey = new Map<string, AlertState>();
  private readonly byRuleModel = new Map<string, Set<string>>();

  static key(rule: string, fingerprint: string): string {
    return `${rule}\u0000${fingerprint}`;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(rule: string, fingerprint: string): AlertState | undefined {
    return this.byKey.get(AlertIndex.key(rule, fingerprint));
  }

  set(alert: AlertState): void {
    const key = AlertIndex.key(alert.rule, alert.fingerprint);
    this.byKey.set(key, alert);
    const group = `${alert.rule}\u0000${alert.labels.model ?? ""}`;
    let keys = this.byRuleModel.get(group);
    if (keys === undefined) this.byRuleModel.set(group, (keys = new Set()));
    keys.add(key);
  }

  delete(alert: AlertState): void {
    const key = AlertIndex.key(alert.rule, alert.fingerprint);
    this.byKey.delete(key);
    const group = `${alert.rule}\u0000${alert.labels.model ?? ""}`;
    const keys = this.byRuleModel.get(group);
    keys?.delete(key);
    if (keys?.size === 0) this.byRuleModel.delete(group);
  }

  /** Alerts of one rule about one model. */
  ofRuleAndModel(rule: string, model: string): AlertState[] {
    const keys = this.byRuleModel.get(`${rule}\u0000${model}`);
    if (keys === undefined) return [];
    return [...keys].map((key) => this.byKey.get(key)!).filter((alert) => alert !== undefined);
  }

  values(): IterableIterator<AlertState> {
    return this.byKey.values();
  }
}
