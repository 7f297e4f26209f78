// A silence: matchers, a time range, who created it and why. Alerts whose labels match every
// matcher while the silence is active are not notified.
import { createMatcher, matchesAll, type Matcher, type MatcherSpec } from "./matchers.js";
import type { Labels } from "../model/labels.js";

export interface Silence {
  readonly id: string;
  readonly matchers: readonly MatcherSpec[];
  /** Epoch ms. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type SilenceStatus = "pending" | "active" | "expired";

export function silenceStatus(silence: Silence, now: number): SilenceStatus {
  if (now < silence.startsAt) return "pending";
  return now < silence.endsAt ? "active" : "expired";
}

/** Silences compiled for matching (regexes built once). */
export class SilenceSet {
  private readonly compiled: { silence: Silence; matchers: Matcher[] }[];

  constructor(silences: readonly Silence[] = []) {
    this.compiled = silences.map((silence) => ({
      silence,
      matchers: silence.matchers.map((spec) => createMatcher(spec)),
    }));
  }

  get all(): readonly Silence[] {
    return this.compiled.map((entry) => entry.silence);
  }

  /** The ids of the silences muting `labels` at `now` (empty when none). */
  silencedBy(labels: Labels, now: number): string[] {
    return this.compiled
      .filter(
        (entry) =>
          silenceStatus(entry.silence, now) === "active" && matchesAll(entry.matchers, labels),
      )
      .map((entry) => entry.silence.id);
  }
}
