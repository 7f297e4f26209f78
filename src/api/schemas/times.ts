// Times in requests, exactly as the server reads them (time-values.ts parses what these admit):
// RFC 3339 date-times and dates of the years 1970-2105, epoch milliseconds up to what a ClickHouse
// DateTime holds (2106-02-07T06:28:15Z), and durations back from now of at most ~30 years — so
// every time a request can carry is one the store can hold, and the document says which.
import { Type } from "@sinclair/typebox";
import { hintedPattern } from "./common.js";

/** The latest time a request may name: a ClickHouse DateTime's last second, in epoch ms. */
export const MAX_TIME_MS = 4_294_967_295_000;

/**
 * A regular expression of the decimal integers 0…`max`, without leading zeros: each number of
 * fewer digits than `max`, then each prefix of `max` followed by a smaller digit and any digits.
 */
export function decimalAtMost(max: number): string {
  const digits = String(max);
  const alternatives = ["0", `[1-9][0-9]{0,${digits.length - 2}}`];
  for (let index = 0; index < digits.length; index++) {
    const digit = Number(digits[index]);
    const lowest = index === 0 ? 1 : 0;
    if (digit <= lowest) continue;
    const rest = digits.length - index - 1;
    const range = digit - 1 === lowest ? `${lowest}` : `[${lowest}-${digit - 1}]`;
    alternatives.push(`${digits.slice(0, index)}${range}${rest > 0 ? `[0-9]{${rest}}` : ""}`);
  }
  alternatives.push(digits);
  return `(${alternatives.join("|")})`;
}

const YEAR = "(19[7-9][0-9]|20[0-9][0-9]|210[0-5])";
const DATE = `${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])`;
const TIME_OF_DAY = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?";
const OFFSET = "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])";

/**
 * Durations back from now: the config's units (kit.ts) but one unit each, the digits bounded so
 * the time stays after 1970 (≤ 31.7 years).
 */
export const DURATION_UNITS = { s: 9, m: 7, h: 5, d: 4, w: 3 } as const;

export const TIME_HINT =
  "must be an RFC 3339 date-time (2026-11-23T08:00:00Z) or date (2026-11-23) of the years " +
  `1970-2105, epoch milliseconds (0-${MAX_TIME_MS}) or a duration back from now (90s, 15m, 6h, 7d, 2w)`;

export const DATE_TIME_PATTERN = hintedPattern(`^${DATE}T${TIME_OF_DAY}${OFFSET}$`, TIME_HINT);
export const DATE_PATTERN = hintedPattern(`^${DATE}$`, TIME_HINT);
export const EPOCH_MS_PATTERN = hintedPattern(`^${decimalAtMost(MAX_TIME_MS)}$`, TIME_HINT);
export const DURATION_PATTERN = hintedPattern(
  `^(${Object.entries(DURATION_UNITS)
    .map(([unit, digits]) => `[0-9]{1,${digits}}${unit}`)
    .join("|")})$`,
  TIME_HINT,
);

const TIME_FORMS =
  "RFC 3339 (2026-11-23T08:00:00Z) or a date (2026-11-23) of 1970-2105, epoch milliseconds " +
  `(0-${MAX_TIME_MS}), or a duration back from now (15m, 6h, 7d); a date-time whose offset puts ` +
  "it before 1970-01-01T00:00:00Z counts as that instant";

/** The text forms of a time: query strings carry nothing else. */
function timeTextForms() {
  return [
    Type.String({
      format: "date-time",
      pattern: DATE_TIME_PATTERN,
      description: "RFC 3339 date-time (T and Z upper case), 1970-2105",
    }),
    Type.String({
      format: "date",
      pattern: DATE_PATTERN,
      description: "a date, UTC midnight",
    }),
    Type.String({ pattern: EPOCH_MS_PATTERN, description: "epoch milliseconds, as digits" }),
    Type.String({
      pattern: DURATION_PATTERN,
      description: "a duration back from now: s, m, h, d or w after at most 9, 7, 5, 4, 3 digits",
    }),
  ];
}

/** A time in a query string. */
export function timeText(description: string) {
  return Type.Union(timeTextForms(), { description: `${description}. ${TIME_FORMS}` });
}

/** A time in a JSON body: epoch milliseconds as a number, or any text form. */
export function timeValue(description?: string) {
  return Type.Union(
    [
      Type.Integer({ minimum: 0, maximum: MAX_TIME_MS, description: "epoch milliseconds" }),
      ...timeTextForms(),
    ],
    { description: description === undefined ? TIME_FORMS : `${description}. ${TIME_FORMS}` },
  );
}
