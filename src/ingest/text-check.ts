// The text check of an event: JSON's "\uD800" escapes can put lone UTF-16 surrogates into parsed
// strings, which have no UTF-8 form. Such an event is invalid (`invalid_text`), wherever the
// string sits, so it is never silently rewritten nor refused later by ClickHouse.
import { loneSurrogateIndex, storedText } from "../util/index.js";

/** Any "\uD8.." … "\uDF.." escape, paired or not: only payloads holding one need the walk. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** Whether the raw JSON text may decode to a lone surrogate (cheap pre-check on the bytes). */
export function mayHoldLoneSurrogate(json: string): boolean {
  return json.includes("\\u") && SURROGATE_ESCAPE.test(json);
}

/** Path segments kept in a detail; deeper values are named by their first segments. */
const MAX_PATH_DEPTH = 4;

function childPath(path: string, key: string, depth: number): string {
  if (depth > MAX_PATH_DEPTH) return path;
  const segment = storedText(key, 40);
  const next = /^[A-Za-z0-9_]+$/.test(segment) ? segment : JSON.stringify(segment);
  const joined = path === "" ? next : `${path}.${next}`;
  return depth === MAX_PATH_DEPTH ? `${joined}.…` : joined;
}

function problem(path: string, what: string, text: string): string {
  const at = loneSurrogateIndex(text);
  // The path is capped so the explanation always fits the detail limit.
  const field = path === "" ? "event" : storedText(path, 200);
  return `${field}: ${what} holds a lone UTF-16 surrogate at character ${at}; text must be valid Unicode`;
}

/**
 * The first string (value or key) of `value` holding a lone surrogate, as a detail naming its
 * field ("features.region: the value holds …"), or undefined. Iterative: nesting depth is free.
 */
export function findLoneSurrogate(value: unknown): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === "string") {
      if (!current.isWellFormed()) return problem(path, "the value", current);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({
          value: current[index],
          path: childPath(path, `${index}`, depth + 1),
          depth: depth + 1,
        });
      }
    } else if (typeof current === "object" && current !== null) {
      const keys = Object.keys(current);
      for (const key of keys) {
        if (!key.isWellFormed()) return problem(path, "a key", key);
      }
      for (let index = keys.length - 1; index >= 0; index--) {
        const key = keys[index]!;
        stack.push({
          value: (current as Record<string, unknown>)[key],
          path: childPath(path, key, depth + 1),
          depth: depth + 1,
        });
      }
    }
  }
  return undefined;
}
