// Public surface of the shared utilities: logging, stored text, label matchers over RE2, test hooks.
export { type Logger, createLogger } from "./logger.js";
export {
  MAX_MATCHER_NAME_LENGTH,
  MAX_MATCHER_TEXT_LENGTH,
  MAX_MATCHER_VALUE_LENGTH,
  MAX_MATCHERS_PER_SILENCE,
  parseMatcher,
  matchesAll,
  type Matcher,
  createMatcher,
  type MatcherSpec,
  MATCH_OPERATORS,
} from "./label-matchers.js";
export { storedText, loneSurrogateIndex, exceedsCodePoints, quotedText } from "./text.js";
export { testHook, testHooksActive } from "./test-hooks.js";
