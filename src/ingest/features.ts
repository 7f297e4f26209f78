// Splits an event's `features` object into the parallel arrays of the predictions table:
// numbers → numeric, strings and booleans → categorical ("true"/"false"), null → missing.
// A model's config may force a feature's kind; anything else (objects, arrays) is rejected.

import { exceedsCodePoints, quotedText } from "../util/index.js";
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

function forcedNumeric(value: string | boolean): number | null {
  if (typeof value === "boolean") return value ? 1 : 0;
  const trimmed = value.trim();
  if (trimmed === "") return null;
  const parsed = Number(trimmed);
  return Number.isFinite(parsed) ? parsed : null;
}

/** How a detail names one feature (names are data: quoted when not a plain word). */
function featurePath(name: string): string {
  return /^[A-Za-z0-9_]{1,64}$/.test(name)
    ? `features.${name}`
    : `features.${quotedText(name, 64)}`;
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
    if (exceedsCodePoints(name, MAX_FEATURE_NAME_CHARS)) {
      return `features: the name ${quotedText(name, 40)} is longer than ${MAX_FEATURE_NAME_CHARS} characters`;
    }
    const value = features[name];
    const kind = forced?.get(name);
    if (value === null) {
      split.missing_names.push(name);
    } else if (typeof value === "number") {
      // JSON.parse turns 1e999 into Infinity, which a Float64 column would store as inf.
      if (!Number.isFinite(value)) return `${featurePath(name)}: number is not finite`;
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
          return `${featurePath(name)}: configured numeric, got ${quotedText(String(value), 60)}`;
        }
        split.num_names.push(name);
        split.num_values.push(number);
      } else {
        split.cat_names.push(name);
        split.cat_values.push(typeof value === "string" ? value : value ? "true" : "false");
      }
    } else {
      return `${featurePath(name)}: expected a number, string, boolean or null, got ${jsonType(value)}`;
    }
  }
  return split;
}
