// A silence: matchers, a time range, who created it and why. Alerts whose labels match every
// matcher while the silence is active are not notified.
import {
  createMatcher,
  matchesAll,
  MAX_MATCHERS_PER_SILENCE,
  type Matcher,
  type MatcherSpec,
} from "../../src/util/index.js";
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

/** A silence the matcher engine refused (e.g. a regex that is not RE2 syntax), with why. */
export interface RejectedSilence {
  readonly silence: Silence;
  readonly reason: string;
}

/**
 * Silences compiled for matching (regexes built once). A silence whose matchers do not compile is
 * left out and listed in `rejected`; it never stops the others from being used.
 */
export class SilenceSet {
  readonly rejected: readonly RejectedSilence[];
  private readonly compiled: { silence: Silence; matchers: Matcher[] }[];

  constructor(silences: readonly Silence[] = []) {
    const compiled: { silence: Silence; matchers: Matcher[] }[] = [];
    const rejected: RejectedSilence[] = [];
    for (const silence of silences) {
      const matchers = compileSilenceMatchers(silence.matchers);
      if (Array.isArray(matchers)) compiled.push({ silence, matchers });
      else rejected.push({ silence, reason: matchers.reason });
    }
    this.compiled = compiled;
    this.rejected = rejected;
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

/** Compile a silence's matchers, or say why they are refused (naming the matcher's index). */
export function compileSilenceMatchers(
  specs: readonly MatcherSpec[],
): Matcher[] | { readonly reason: string } {
  if (!Array.isArray(specs) || specs.length === 0) return { reason: "it has no matchers" };
  if (specs.length > MAX_MATCHERS_PER_SILENCE) {
    return {
      reason: `it has ${specs.length} matchers, at most ${MAX_MATCHERS_PER_SILENCE} are allowed`,
    };
  }
  const matchers: Matcher[] = [];
  for (const [index, spec] of specs.entries()) {
    try {
      matchers.push(createMatcher(spec));
    } catch (error) {
      return { reason: `matchers[${index}]: ${(error as Error).message}` };
    }
  }
  return matchers;
}
