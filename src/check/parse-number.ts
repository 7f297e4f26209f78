// Decimal number parsing straight from CSV bytes: the hot path of `check` on numeric columns.
// Correctly rounded like strtod/Python float(): short decimals take the exact fast path (a mantissa
// of at most 15 significant digits times a power of ten up to 1e22, one rounding), everything else
// the grammar accepts goes through Number() on the text. A value too big for a double (1e400) and
// the spellings inf / infinity are ±Infinity: numbers, but not finite ones (JSON.parse gives
// Infinity for 1e400 too, so both formats agree).

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => Number(`1e${exponent}`));
const MAX_EXACT_DIGITS = 15;

const SPACE = 0x20;
const TAB = 0x09;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * The number written in bytes[start, end) — optional surrounding spaces or tabs, optional sign,
 * digits with an optional fraction, optional exponent, or inf / infinity in any case — or NaN when
 * the text is anything else (empty, words, hex, "NaN"). 1e400 and inf are ±Infinity.
 *
 * The common case (sign, at most 15 digits, optional fraction, nothing else) is one pass and one
 * division; everything else goes through the general parser.
 */
export function parseDecimal(bytes: Buffer, start: number, end: number): number {
  let index = start;
  const first = bytes[index];
  let negative = false;
  if (first === MINUS) {
    negative = true;
    index++;
  } else if (first === PLUS) {
    index++;
  }
  let mantissa = 0;
  const integerStart = index;
  while (index < end) {
    const digit = bytes[index] - ZERO;
    if (digit >>> 0 > 9) break;
    mantissa = mantissa * 10 + digit;
    index++;
  }
  const integerDigits = index - integerStart;
  let fractionDigits = 0;
  if (index < end && bytes[index] === DOT) {
    const fractionStart = ++index;
    while (index < end) {
      const digit = bytes[index] - ZERO;
      if (digit >>> 0 > 9) break;
      mantissa = mantissa * 10 + digit;
      index++;
    }
    fractionDigits = index - fractionStart;
  }
  const digits = integerDigits + fractionDigits;
  if (index !== end || digits === 0 || digits > MAX_EXACT_DIGITS) {
    return parseDecimalGeneral(bytes, start, end);
  }
  // At most 15 digits: the mantissa is exact, 10^fraction too, so one division rounds correctly.
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / POWERS_OF_TEN[fractionDigits];
  return negative ? -magnitude : magnitude;
}

/** parseDecimal for every form the grammar allows (spaces, exponents, long digit strings). */
export function parseDecimalGeneral(bytes: Buffer, start: number, end: number): number {
  while (start < end && (bytes[start] === SPACE || bytes[start] === TAB)) start++;
  while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === TAB)) end--;
  let index = start;
  let negative = false;
  if (index < end) {
    const first = bytes[index];
    if (first === MINUS) {
      negative = true;
      index++;
    } else if (first === PLUS) {
      index++;
    }
  }
  let mantissa = 0;
  let significantDigits = 0;
  let digitCount = 0;
  let decimalExponent = 0;
  let exact = true;
  while (index < end) {
    const digit = bytes[index] - ZERO;
    if (digit < 0 || digit > 9) break;
    digitCount++;
    if (mantissa !== 0 || digit !== 0) {
      if (significantDigits < MAX_EXACT_DIGITS) {
        mantissa = mantissa * 10 + digit;
        significantDigits++;
      } else {
        exact = false;
      }
    }
    index++;
  }
  if (index < end && bytes[index] === DOT) {
    index++;
    while (index < end) {
      const digit = bytes[index] - ZERO;
      if (digit < 0 || digit > 9) break;
      digitCount++;
      if (mantissa !== 0 || digit !== 0) {
        if (significantDigits < MAX_EXACT_DIGITS) {
          mantissa = mantissa * 10 + digit;
          significantDigits++;
          decimalExponent--;
        } else {
          exact = false;
        }
      } else {
        decimalExponent--;
      }
      index++;
    }
  }
  if (digitCount === 0) return infinityAt(bytes, index, end, negative);
  if (index < end && (bytes[index] === LOWER_E || bytes[index] === UPPER_E)) {
    index++;
    let exponentNegative = false;
    if (index < end && (bytes[index] === MINUS || bytes[index] === PLUS)) {
      exponentNegative = bytes[index] === MINUS;
      index++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (index < end) {
      const digit = bytes[index] - ZERO;
      if (digit < 0 || digit > 9) break;
      if (exponent < 100_000) exponent = exponent * 10 + digit;
      exponentDigits++;
      index++;
    }
    if (exponentDigits === 0) return NaN;
    decimalExponent += exponentNegative ? -exponent : exponent;
  }
  if (index !== end) return NaN;
  if (mantissa === 0 && exact) return negative ? -0 : 0;
  if (exact && decimalExponent >= -22 && decimalExponent <= 22) {
    const magnitude =
      decimalExponent >= 0
        ? mantissa * POWERS_OF_TEN[decimalExponent]
        : mantissa / POWERS_OF_TEN[-decimalExponent];
    return negative ? -magnitude : magnitude;
  }
  // Number() rounds correctly and overflows to ±Infinity (1e400), as Python's float() does.
  return Number(bytes.toString("latin1", start, end));
}

const INFINITY_SPELLINGS = new Set(["inf", "infinity"]);

/** ±Infinity when bytes[index, end) spells inf or infinity (any case), else NaN. */
function infinityAt(bytes: Buffer, index: number, end: number, negative: boolean): number {
  if (end - index !== 3 && end - index !== 8) return NaN;
  if (!INFINITY_SPELLINGS.has(bytes.toString("latin1", index, end).toLowerCase())) return NaN;
  return negative ? -Infinity : Infinity;
}
