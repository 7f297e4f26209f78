// Matcher regexes in linear time: compiled with RE2 (re2js, pure JS), never with JavaScript's
// backtracking RegExp, so no silence or inhibition rule can freeze the process. Full-match.
import { RE2JS, RE2JSException } from "re2js";

/**
 * Largest compiled program accepted (RE2 instructions; `a{1000}` is about 1,000). Matching is
 * linear in the label's length times this size, so it bounds the cost of one match.
 */
export const MAX_REGEX_PROGRAM_SIZE = 2_000;

export const RE2_SYNTAX_URL = "https://github.com/google/re2/wiki/Syntax";

/** A regex refused: not RE2 syntax, or too large. `reason` says why in a user's words. */
export class RegexSyntaxError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "RegexSyntaxError";
  }
}

/**
 * Compile `pattern` (RE2 syntax) to a full-match test, as Alertmanager anchors matcher regexes
 * (`^(?:pattern)$`): `inc.*` matches "income", `inc` does not. Throws RegexSyntaxError.
 */
export function compileFullMatch(pattern: string): (value: string) => boolean {
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    if (!(error instanceof RE2JSException) && !(error instanceof SyntaxError)) throw error;
    throw new RegexSyntaxError(describeRefusal(pattern, error.message));
  }
  const size = regex.programSize();
  if (size > MAX_REGEX_PROGRAM_SIZE) {
    throw new RegexSyntaxError(
      `regex is too large: it compiles to ${size} RE2 instructions, at most ${MAX_REGEX_PROGRAM_SIZE} ` +
        "are allowed (use smaller counted repetitions such as {1,64} instead of {1000})",
    );
  }
  return (value) => regex.matches(value);
}

/** RE2's message, led by what the user most likely wrote when it is a construct RE2 refuses. */
function describeRefusal(pattern: string, message: string): string {
  const detail = message.replace(/^error parsing regexp: /, "");
  const construct = unsupportedConstruct(pattern);
  const syntax = `RE2 syntax is required (no backreferences or lookaround; see ${RE2_SYNTAX_URL})`;
  return construct !== undefined ? `${construct} not supported: ${syntax}` : `${detail}; ${syntax}`;
}

/** The first construct of JavaScript/PCRE regexes that RE2 refuses, named for a message. */
function unsupportedConstruct(pattern: string): string | undefined {
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    const next = pattern[index + 1] ?? "";
    if (char === "\\") {
      if (/[1-9]/.test(next)) return `backreferences such as \\${next} are`;
      if (next === "k" && pattern[index + 2] === "<") return "named backreferences (\\k<name>) are";
      if (next === "u") return "\\u escapes are (write \\x{263A} for U+263A); they are";
      index++; // skip the escaped character
      continue;
    }
    if (char === "(" && next === "?") {
      const rest = pattern.slice(index + 2, index + 4);
      if (rest.startsWith("=") || rest.startsWith("!")) return "lookahead (?= …) and (?! …) is";
      if (rest === "<=" || rest === "<!") return "lookbehind (?<= …) and (?<! …) is";
      if (rest.startsWith(">")) return "atomic groups (?> …) are";
    }
    if ((char === "+" || char === "*" || char === "?" || char === "}") && next === "+") {
      return "possessive quantifiers (such as a++) are";
    }
  }
  return undefined;
}
