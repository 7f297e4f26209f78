// Conversions between the engine's values and ClickHouse columns: times as DateTime (epoch
// seconds, 0 = unset), NaN read back from null, JSON objects in String columns.

/** Epoch ms (or undefined) → epoch seconds for a DateTime column (0 = unset). */
export function toSeconds(ms: number | undefined): number {
  return ms === undefined || !Number.isFinite(ms) ? 0 : Math.max(0, Math.floor(ms / 1000));
}

/** A DateTime read as toUnixTimestamp(col) → epoch ms, undefined for 0. */
export function fromSeconds(seconds: unknown): number | undefined {
  const value = Number(seconds);
  return Number.isFinite(value) && value > 0 ? value * 1000 : undefined;
}

/** A Float64 read back (NaN and ±Infinity arrive as null). */
export function fromFloat(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : Number(value);
}

export function parseJsonObject(text: unknown): Record<string, string> {
  if (typeof text !== "string" || text === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) result[key] = String(value);
    return result;
  } catch {
    return {};
  }
}
