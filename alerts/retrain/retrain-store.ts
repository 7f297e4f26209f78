// driftwatch.retrain_requests: the per-model retrain cooldown, shared by every instance and kept
// across restarts. A request is claimed by inserting a row and reading back the model's earliest
// live claim inside the cooldown (by time, then id). ClickHouse has no compare-and-set, so a claim
// that wins the first read waits a moment for racing inserts to become visible and wins only if it
// still wins the second read: every racer then agrees on one winner.
import { storedText } from "../../src/util/index.js";
import { type SqlEngine, qualifiedName, tableRef, sql } from "../../src/store/index.js";
import type { RetrainRequest } from "../model/retrain-request.js";
import { toSeconds } from "../store/columns.js";

export type RetrainStatus = "claimed" | "delivered" | "failed" | "skipped";

export type ClaimResult =
  | { readonly won: true }
  | { readonly won: false; readonly winnerId: string; readonly winnerRequestedAt: number };

export class RetrainStore {
  private readonly table: string;

  constructor(
    private readonly engine: SqlEngine,
    private readonly database: string,
    /** Real milliseconds a winning claim waits before confirming (insert visibility, not policy). */
    private readonly settleMs = 250,
  ) {
    this.table = qualifiedName(database, "retrain_requests");
  }

  /**
   * Claim the model's cooldown for `request`. With `force`, the claim is recorded (it starts a
   * cooldown) without checking for an earlier one.
   */
  async claim(
    request: RetrainRequest,
    episode: string,
    cooldownMs: number,
    force: boolean,
  ): Promise<ClaimResult> {
    await this.write(request, episode, "claimed", "", request.requestedAt);
    if (force) return { won: true };
    const first = await this.winner(request, cooldownMs);
    if (first !== undefined && first.request_id !== storedText(request.id)) return lost(first);
    await new Promise((resolve) => setTimeout(resolve, this.settleMs));
    const second = await this.winner(request, cooldownMs);
    return second === undefined || second.request_id === request.id ? { won: true } : lost(second);
  }

  private async winner(
    request: RetrainRequest,
    cooldownMs: number,
  ): Promise<{ request_id: string; requested_at_ms: number } | undefined> {
    const rows = await this.engine.query<{
      request_id: string;
      requested_at_ms: number;
    }>(sql`SELECT request_id, requested_at_ms
FROM (
  SELECT request_id, argMax(status, updated_at_ms) AS status, min(requested_at_ms) AS requested_at_ms
  FROM ${tableRef(this.database, "retrain_requests")}
  WHERE model = ${request.model}
  GROUP BY request_id
)
WHERE requested_at_ms >= ${Math.max(0, Math.floor(request.requestedAt - cooldownMs))}
  AND status NOT IN ('skipped', 'failed')
ORDER BY requested_at_ms, request_id
LIMIT 1`);
    return rows[0];
  }

  /** Record a status change (delivered, failed, skipped). */
  async setStatus(
    request: RetrainRequest,
    episode: string,
    status: RetrainStatus,
    detail: string,
    now: number,
  ): Promise<void> {
    await this.write(request, episode, status, detail, now);
  }

  /** Claimed requests never finished (the process stopped mid-delivery), since `sinceMs`. */
  async unfinished(sinceMs: number): Promise<{ request: RetrainRequest; episode: string }[]> {
    const rows = await this.engine.query<{
      payload: string;
      episode: string;
    }>(sql`SELECT payload, episode
FROM (
  SELECT request_id, argMax(status, updated_at_ms) AS status, argMax(payload, updated_at_ms) AS payload,
    any(episode) AS episode, min(requested_at_ms) AS requested_at_ms
  FROM ${tableRef(this.database, "retrain_requests")}
  WHERE requested_at >= toDateTime(${toSeconds(sinceMs)})
  GROUP BY model, request_id
)
WHERE status = 'claimed'
ORDER BY requested_at_ms`);
    const result: { request: RetrainRequest; episode: string }[] = [];
    for (const row of rows) {
      try {
        result.push({ request: JSON.parse(row.payload) as RetrainRequest, episode: row.episode });
      } catch {
        // A row this version cannot read is left alone.
      }
    }
    return result;
  }

  private async write(
    request: RetrainRequest,
    episode: string,
    status: RetrainStatus,
    detail: string,
    now: number,
  ): Promise<void> {
    await this.engine.insert(this.table, [
      {
        model: request.model,
        request_id: request.id,
        source: request.source,
        reason: request.reason,
        episode,
        actions: request.actions,
        requested_at: toSeconds(request.requestedAt),
        requested_at_ms: Math.floor(request.requestedAt),
        status,
        detail,
        payload: JSON.stringify(request),
        updated_at_ms: Math.floor(now),
      },
    ]);
  }
}

function lost(winner: { request_id: string; requested_at_ms: number }): ClaimResult {
  return {
    won: false,
    winnerId: winner.request_id,
    winnerRequestedAt: Number(winner.requested_at_ms),
  };
}
