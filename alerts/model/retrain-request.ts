// A retrain request: what a retrain webhook carries, whether an alert or the API asked for it.
// Its id is the idempotency key every preset sends, so a repeated delivery is recognisable.

export interface RetrainAlertRef {
  readonly rule: string;
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly threshold: number;
  readonly activeAt?: number;
  readonly windowStart?: number;
  readonly windowEnd?: number;
}

export interface RetrainRequest {
  /** Idempotency key, also the cooldown claim id. */
  readonly id: string;
  readonly model: string;
  readonly modelVersion?: string;
  readonly source: "alert" | "api";
  /** Why, in words ("feature-drift fired: psi of income 0.31 ≥ 0.2"; the API caller's reason). */
  readonly reason: string;
  readonly requestedAt: number;
  /** Who asked, for API requests. */
  readonly requestedBy?: string;
  /** The alerts that triggered it (empty for API requests). */
  readonly alerts: readonly RetrainAlertRef[];
  /** Names of the retrain actions to call. */
  readonly actions: readonly string[];
}
