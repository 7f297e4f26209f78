// Splits an event's `features` object into the parallel arrays of the predictions table:
// numbers → numeric, strings and booleans → categorical ("true"/"false"), null → missing.
// A model's config may force a feature's kind; anything else (objects, arrays) is rejected.

import { jsonType } from "./timestamp.js";

export type FeatureKind = "numeric" | "categorical";

/** Kinds forced by a model's config, by feature name (absent: decided by the JSON type). */
export type ForcedFeatureKinds = ReadonlyMap<string, FeatureKind>;

export interface SplitFeatures {
  readonly num_names: string[];
  readonly num_values: number[];
  readonly cat_names: string[];
  readonly cat_values: string[];
  readonly missing_names: string[];
}

export const MAX_FEATURE_NAME_CHARS = 256;

/** Length in Unicode code points, counted only when the UTF-16 length could exceed `limit`. */
export function exceedsChars(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) index++; // a surrogate pair is one code point
    if (++count > limit) return true;
  }
  return false;
}

function forcedNumeric(value: string | boolean): number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : null;
}

/** The split features, or a detail string naming the offending feature. */
export function splitFeatures(
  features: Record<string, unknown>,
  forced: ForcedFeatureKinds | undefined,
): SplitFeatures | string {
  const split: SplitFeatures = {
    num_names: [],
    num_values: [],
    cat_names: [],
    cat_values: [],
    missing_names: [],
  };
  for (const name in features) {
    if (name === "") return "features: a feature name must not be empty";
    if (exceedsChars(name, MAX_FEATURE_NAME_CHARS)) {
      return `features.${name.slice(0, 40)}…: name longer than ${MAX_FEATURE_NAME_CHARS} characters`;
    }
    const value = features[name];
    const kind = forced?.get(name);
    if (value === null) {
      split.missing_names.push(name);
    } else if (typeof value === "number") {
      // JSON.parse turns 1e999 into Infinity, which a Float64 column would store as inf.
      if (!Number.isFinite(value)) return `features.${name}: number is not finite`;
      if (kind === "categorical") {
        split.cat_names.push(name);
        split.cat_values.push(String(value));
      } else {
        split.num_names.push(name);
        split.num_values.push(value);
      }
    } else if (typeof value === "string" || typeof value === "boolean") {
      if (kind === "numeric") {
        const number = forcedNumeric(value);
        if (number === null) {
          return `features.${name}: configured numeric, got ${JSON.stringify(value).slice(0, 60)}`;
        }
        split.num_names.push(name);
        split.num_values.push(number);
      } else {
        split.cat_names.push(name);
        split.cat_values.push(typeof value === "string" ? value : value ? "true" : "false");
      }
    } else {
      return `features.${name}: expected a number, string, boolean or null, got ${jsonType(value)}`;
    }
  }
  return split;
}
