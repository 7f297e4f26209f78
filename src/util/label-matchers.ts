// Label matchers as Alertmanager writes them: name=value, name!=value, name=~regex, name!~regex
// (values may be double-quoted; regexes are RE2, anchored). Used by silences and inhibition rules.
import { compileFullMatch, RegexSyntaxError } from "./re2-regex.js";

/** A label set as matchers see it (alerts/model/labels.ts names the same shape). */
type Labels = Readonly<Record<string, string>>;

export const MATCH_OPERATORS = ["=", "!=", "=~", "!~"] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

/** Longest matcher value (a literal or a regex), in characters. */
export const MAX_MATCHER_VALUE_LENGTH = 1_024;
/** Longest matcher label name, in characters. */
export const MAX_MATCHER_NAME_LENGTH = 128;
/** Longest matcher text (`name=~"…"`, quoting and escapes included), in characters. */
export const MAX_MATCHER_TEXT_LENGTH = 8_192;
/** Most matchers one silence (or one side of an inhibition rule) may have. */
export const MAX_MATCHERS_PER_SILENCE = 64;

/** A matcher as stored and sent over the API. */
export interface MatcherSpec {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
}

export interface Matcher extends MatcherSpec {
  matches(labels: Labels): boolean;
}

// Name and operator only: the value is the rest of the text (no backtracking over it).
const MATCHER_HEAD = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

/** Parse `name<op>value`; throws an Error saying what is wrong. */
export function parseMatcher(text: string): Matcher {
  if (text.length > MAX_MATCHER_TEXT_LENGTH) {
    throw new Error(
      `invalid matcher: the text is ${text.length} characters long, at most ${MAX_MATCHER_TEXT_LENGTH} are allowed`,
    );
  }
  const head = MATCHER_HEAD.exec(text);
  const rawValue = head === null ? "" : text.slice(head[0].length).trim();
  if (head === null || LINE_BREAK.test(rawValue)) {
    throw new Error(
      `invalid matcher ${JSON.stringify(text)}: expected name=value, name!=value, name=~regex or name!~regex`,
    );
  }
  const [, name, op] = head as unknown as [string, string, MatchOperator];
  return createMatcher({ name, op, value: unquote(rawValue, text) });
}

/** Build a matcher from its parts; throws when a part is invalid or a regex is not RE2. */
export function createMatcher(spec: MatcherSpec): Matcher {
  if (spec === null || typeof spec !== "object") {
    throw new Error("invalid matcher: expected name, op and value");
  }
  if (typeof spec.name !== "string" || !LABEL_NAME.test(spec.name)) {
    throw new Error(`invalid matcher label name ${JSON.stringify(spec.name)}`);
  }
  if (spec.name.length > MAX_MATCHER_NAME_LENGTH) {
    throw new Error(
      `invalid matcher label name: ${spec.name.length} characters long, at most ${MAX_MATCHER_NAME_LENGTH} are allowed`,
    );
  }
  if (!(MATCH_OPERATORS as readonly string[]).includes(spec.op)) {
    throw new Error(`invalid matcher operator ${JSON.stringify(spec.op)}: use =, !=, =~ or !~`);
  }
  if (typeof spec.value !== "string") {
    throw new Error(`invalid matcher ${spec.name}${spec.op}: the value must be a string`);
  }
  const length = characterCount(spec.value);
  if (length > MAX_MATCHER_VALUE_LENGTH) {
    throw new Error(
      `invalid matcher ${spec.name}${spec.op}…: the value is ${length} characters long, at most ${MAX_MATCHER_VALUE_LENGTH} are allowed`,
    );
  }
  let test: (value: string) => boolean;
  if (spec.op === "=~" || spec.op === "!~") {
    let fullMatch: (value: string) => boolean;
    try {
      fullMatch = compileFullMatch(spec.value);
    } catch (error) {
      if (!(error instanceof RegexSyntaxError)) throw error;
      throw new Error(`invalid regex in matcher ${formatMatcher(spec)}: ${error.reason}`, {
        cause: error,
      });
    }
    test = spec.op === "=~" ? fullMatch : (value) => !fullMatch(value);
  } else {
    test = spec.op === "=" ? (value) => value === spec.value : (value) => value !== spec.value;
  }
  return {
    name: spec.name,
    op: spec.op,
    value: spec.value,
    // A missing label matches as the empty string, as in Alertmanager.
    matches: (labels) => test(labels[spec.name] ?? ""),
  };
}

/** Whether every matcher matches. */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  return matchers.every((matcher) => matcher.matches(labels));
}

/** `model="credit"` form. */
export function formatMatcher(spec: MatcherSpec): string {
  return `${spec.name}${spec.op}${JSON.stringify(spec.value)}`;
}

/** Length in characters (code points), as JSON Schema's maxLength counts. */
function characterCount(value: string): number {
  let count = value.length;
  for (let index = 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const previous = value.charCodeAt(index - 1);
    // A surrogate pair is one character.
    if (code >= 0xdc00 && code <= 0xdfff && previous >= 0xd800 && previous <= 0xdbff) {
      count--;
      index++;
    }
  }
  return count;
}

function unquote(value: string, text: string): string {
  if (value.startsWith('"')) {
    if (value.length < 2 || !value.endsWith('"')) {
      throw new Error(`invalid matcher ${JSON.stringify(text)}: unterminated quoted value`);
    }
    try {
      return JSON.parse(value) as string;
    } catch {
      throw new Error(`invalid matcher ${JSON.stringify(text)}: bad escape in quoted value`);
    }
  }
  return value;
}
