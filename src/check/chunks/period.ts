// `--chunk-period`: a duration such as 1d, 12h, 1w or 1h30m (units ms, s, m, h, d, w), and the
// UTC period a time falls in. Periods are aligned on the Unix epoch (days start at 00:00 UTC),
// except whole weeks, which start on Mondays at 00:00 UTC (ISO weeks).
import { CheckInputError } from "../errors.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const WEEK_MS = UNIT_MS.w!;
/** 1970-01-05, the first Monday after the epoch (a Thursday). */
const MONDAY_OFFSET_MS = 4 * UNIT_MS.d!;

export interface ChunkPeriod {
  /** As the user wrote it (for messages). */
  text: string;
  milliseconds: number;
}

export function parsePeriod(text: string): ChunkPeriod {
  const trimmed = text.trim();
  const parts = /^(?:\d+(?:ms|s|m|h|d|w))+$/.test(trimmed)
    ? [...trimmed.matchAll(/(\d+)(ms|s|m|h|d|w)/g)]
    : [];
  const milliseconds = parts.reduce(
    (sum, [, count, unit]) => sum + Number(count) * UNIT_MS[unit!]!,
    0,
  );
  if (parts.length === 0 || !(milliseconds > 0) || !Number.isSafeInteger(milliseconds)) {
    throw new CheckInputError(
      `--chunk-period: ${JSON.stringify(text)} is not a period; write a number and a unit ` +
        `(ms, s, m, h, d, w), e.g. 1d, 12h, 1w or 1h30m`,
    );
  }
  return { text: trimmed, milliseconds };
}

/** Where the periods of this length start from (the epoch, or a Monday for whole weeks). */
function originOf(period: ChunkPeriod): number {
  return period.milliseconds % WEEK_MS === 0 ? MONDAY_OFFSET_MS : 0;
}

/** The number of the period `time` (epoch ms, UTC) falls in. */
export function periodIndex(period: ChunkPeriod, time: number): number {
  return Math.floor((time - originOf(period)) / period.milliseconds);
}

/** The start (epoch ms, inclusive) of period number `index`; it ends where index + 1 starts. */
export function periodStart(period: ChunkPeriod, index: number): number {
  return index * period.milliseconds + originOf(period);
}
