// Label matchers as Alertmanager writes them: name=value, name!=value, name=~regex, name!~regex
// (values may be double-quoted; regexes are anchored). Used by silences and inhibition rules.
import type { Labels } from "../model/labels.js";

export const MATCH_OPERATORS = ["=", "!=", "=~", "!~"] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

/** A matcher as stored and sent over the API. */
export interface MatcherSpec {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
}

export interface Matcher extends MatcherSpec {
  matches(labels: Labels): boolean;
}

const MATCHER_TEXT = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** Parse `name<op>value`; throws an Error saying what is wrong. */
export function parseMatcher(text: string): Matcher {
  const match = MATCHER_TEXT.exec(text);
  if (match === null) {
    throw new Error(
      `invalid matcher ${JSON.stringify(text)}: expected name=value, name!=value, name=~regex or name!~regex`,
    );
  }
  const [, name, op, rawValue] = match as unknown as [string, string, MatchOperator, string];
  return createMatcher({ name, op, value: unquote(rawValue, text) });
}

/** Build a matcher from its parts; throws when a regex does not compile. */
export function createMatcher(spec: MatcherSpec): Matcher {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.name)) {
    throw new Error(`invalid matcher label name ${JSON.stringify(spec.name)}`);
  }
  if (!(MATCH_OPERATORS as readonly string[]).includes(spec.op)) {
    throw new Error(`invalid matcher operator ${JSON.stringify(spec.op)}: use =, !=, =~ or !~`);
  }
  let test: (value: string) => boolean;
  if (spec.op === "=~" || spec.op === "!~") {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${spec.value})$`, "u");
    } catch (error) {
      throw new Error(
        `invalid regex in matcher ${spec.name}${spec.op}${JSON.stringify(spec.value)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    test = spec.op === "=~" ? (value) => regex.test(value) : (value) => !regex.test(value);
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
