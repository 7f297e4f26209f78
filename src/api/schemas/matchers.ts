// The matchers of a silence as the alerts module reads them (alerts/silences/matchers.ts): text
// `name<op>value` — a label name, =, !=, =~ or !~, then a value, plain or JSON-quoted — or an
// object {name, op, value}. The pattern follows parseMatcher exactly (its whitespace is
// JavaScript's, spelled out so every regex engine reads it the same; the operator is the longest
// one at its place, so `a=~x` is a regex). What no pattern can say stays a 400: a value longer
// than 1,024 characters, a regex RE2 refuses.
import { Type } from "@sinclair/typebox";
import {
  MAX_MATCHER_NAME_LENGTH,
  MAX_MATCHER_TEXT_LENGTH,
  MAX_MATCHER_VALUE_LENGTH,
} from "../../util/index.js";
import { hintedPattern, JS_SPACE } from "./common.js";

/** The whitespace the parser skips around names, operators and values. */
const SPACE = JS_SPACE;
/** Line breaks: refused inside a value, allowed in the whitespace after it. */
const LINE_BREAK = "\\n\\r\\u2028\\u2029";

const LABEL_NAME = `[A-Za-z_][A-Za-z0-9_]{0,${MAX_MATCHER_NAME_LENGTH - 1}}`;

/** A `\uXXXX` escape of a whole character: not a surrogate, or a high then a low surrogate. */
const UNICODE_ESCAPE =
  "u([0-9a-cA-CefEF][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2}|" +
  "[dD][89abAB][0-9a-fA-F]{2}\\\\u[dD][c-fC-F][0-9a-fA-F]{2})";

/**
 * A JSON string of whole characters: escapes (no lone surrogate: stored and answered, it would be
 * text no JSON reader of the answers can decode), or any character but a quote, a backslash,
 * control characters and line breaks.
 */
const QUOTED = `"(\\\\(["\\\\/bfnrt]|${UNICODE_ESCAPE})|[^"\\\\\\u0000-\\u001f\\u2028\\u2029])*"[${SPACE}]*`;

/** A plain value (not starting with a quote, nor `also`), then only whitespace after a line break. */
const plain = (also = "") => `[^${SPACE}"${also}][^${LINE_BREAK}]*([${LINE_BREAK}][${SPACE}]*)?`;

const value = (also = "") => `(${QUOTED}|${plain(also)})`;

export const MATCHER_TEXT_PATTERN = hintedPattern(
  `^[${SPACE}]*${LABEL_NAME}[${SPACE}]*` +
    `((=~|!~|!=)[${SPACE}]*${value()}?|=([${SPACE}]+${value()}?|${value("~")})?)$`,
  "must be name=value, name!=value, name=~regex or name!~regex (a label name of at most " +
    `${MAX_MATCHER_NAME_LENGTH} characters; the value plain or JSON-quoted, on one line)`,
);

const LABEL_NAME_PATTERN = hintedPattern(
  `^${LABEL_NAME}$`,
  `must be a label name: a letter or _, then letters, digits or _ (at most ${MAX_MATCHER_NAME_LENGTH})`,
);

export const MatcherBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: MAX_MATCHER_NAME_LENGTH,
      pattern: LABEL_NAME_PATTERN,
    }),
    op: Type.Union([Type.Literal("="), Type.Literal("!="), Type.Literal("=~"), Type.Literal("!~")]),
    value: Type.String({
      description:
        "a literal, or a regex (RE2 syntax, anchored) for =~ and !~; at most " +
        `${MAX_MATCHER_VALUE_LENGTH} characters (else 400, as for a regex RE2 refuses)`,
    }),
  },
  { additionalProperties: false },
);

export const MatcherText = Type.String({
  minLength: 1,
  maxLength: MAX_MATCHER_TEXT_LENGTH,
  pattern: MATCHER_TEXT_PATTERN,
  description:
    "name=value, name!=value, name=~regex or name!~regex (RE2 syntax, anchored; e.g. " +
    `model=~"credit-.*"); the value at most ${MAX_MATCHER_VALUE_LENGTH} characters once unquoted ` +
    "and a regex one RE2 accepts, else 400",
});
