// Public surface of the shared utilities: logging, stored text, label matchers over RE2, test hooks.
export type { Logger } from "./logger.js";
export { MAX_MATCHER_NAME_LENGTH } from "./label-matchers.js";
export { MAX_MATCHER_TEXT_LENGTH } from "./label-matchers.js";
export { MAX_MATCHER_VALUE_LENGTH } from "./label-matchers.js";
export { MAX_MATCHERS_PER_SILENCE } from "./label-matchers.js";
export { createLogger } from "./logger.js";
export { storedText } from "./text.js";
export { parseMatcher } from "./label-matchers.js";
export { loneSurrogateIndex } from "./text.js";
export { exceedsCodePoints } from "./text.js";
export { quotedText } from "./text.js";
export { testHook } from "./test-hooks.js";
export { testHooksActive } from "./test-hooks.js";
export { matchesAll } from "./label-matchers.js";
export type { Matcher } from "./label-matchers.js";
export { createMatcher } from "./label-matchers.js";
export type { MatcherSpec } from "./label-matchers.js";
export { MATCH_OPERATORS } from "./label-matchers.js";
