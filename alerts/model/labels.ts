// Label sets: an alert's identity. Fingerprints are stable hashes of the sorted labels.
import { createHash } from "node:crypto";

export type Labels = Readonly<Record<string, string>>;

/** Stable identity of a label set (16 hex chars of SHA-256 over the sorted pairs). */
export function fingerprint(labels: Labels): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(labels).sort()) {
    hash.update(name);
    hash.update("\u0000");
    hash.update(labels[name]!);
    hash.update("\u0001");
  }
  return hash.digest("hex").slice(0, 16);
}

/** Only the named labels (missing ones as ""), for group keys and inhibition. */
export function pickLabels(labels: Labels, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) picked[name] = labels[name] ?? "";
  return picked;
}

/** `{model="a", feature="b"}` — the form used in keys and messages. */
export function formatLabels(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(", ")}}`;
}
