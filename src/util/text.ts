// Text that can be stored: every string driftwatch writes to ClickHouse (or sends in a header)
// goes through `storedText`, so a lone UTF-16 surrogate or a cut through a surrogate pair never
// reaches a server that would refuse it ("missing second part of surrogate pair").
//
// JavaScript strings are UTF-16 and may hold unpaired surrogates (JSON's "\ud800" escape makes
// one); UTF-8 cannot encode them. Counting and cutting is done in code points, never UTF-16 units.

/** The replacement character that stands in for a lone surrogate. */
export const REPLACEMENT_CHARACTER = "\ufffd";

/** Whether `text` holds an unpaired UTF-16 surrogate (text without a UTF-8 form). */
export function hasLoneSurrogate(text: string): boolean {
  return !text.isWellFormed();
}

/** Code-point index of the first unpaired surrogate of `text`, or -1. */
export function loneSurrogateIndex(text: string): number {
  let codePoint = 0;
  for (let index = 0; index < text.length; index++, codePoint++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      else return codePoint;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return codePoint;
    }
  }
  return -1;
}

/** Whether `text` is longer than `limit` code points (counted only when it could be). */
export function exceedsCodePoints(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++; // a surrogate pair is one code point
    }
    if (++count > limit) return true;
  }
  return false;
}

/** The first `limit` code points of well-formed `text` (UTF-16 index of the cut). */
function cutIndex(text: string, limit: number): number {
  let count = 0;
  let index = 0;
  while (index < text.length && count < limit) {
    const unit = text.charCodeAt(index);
    index += unit >= 0xd800 && unit <= 0xdbff ? 2 : 1;
    count++;
  }
  return index;
}

/**
 * `text` made storable: lone surrogates replaced by U+FFFD and, when `maxCodePoints` is given,
 * cut to at most that many code points (the last one "…" when something was cut).
 */
export function storedText(text: string, maxCodePoints?: number): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  if (maxCodePoints === undefined || !exceedsCodePoints(wellFormed, maxCodePoints)) {
    return wellFormed;
  }
  if (maxCodePoints <= 1) return maxCodePoints === 1 ? "…" : "";
  return `${wellFormed.slice(0, cutIndex(wellFormed, maxCodePoints - 1))}…`;
}

/** `text` as a JSON string literal, storable and at most `maxCodePoints` long (for details). */
export function quotedText(text: string, maxCodePoints: number): string {
  return JSON.stringify(storedText(text, maxCodePoints));
}
