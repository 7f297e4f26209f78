// `${VAR}` substitution in the string values of the YAML file (for secrets); `$${…}` escapes it.
import { isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { ConfigIssue, ConfigPath } from "./errors.js";
import type { YamlSource } from "./yaml-source.js";
import { locatePath } from "./yaml-source.js";

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replace `${NAME}` in every string scalar value (never in keys) by the variable's value, in place.
 * `$${NAME}` stays as the literal text `${NAME}`. Returns one issue per missing or malformed reference.
 * `onSubstituted` is told the path of every value that took at least one variable's value.
 */
export function substituteVariables(
  source: YamlSource,
  env: Readonly<Record<string, string | undefined>>,
  onSubstituted?: (path: ConfigPath) => void,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const substitutedNodes = new Set<unknown>();
  // An alias (`*name`) repeats its anchor's values, substituted there: only report their paths.
  const visit = (node: unknown, path: ConfigPath, aliased = false): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...path, key], aliased);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index], aliased));
    } else if (isAlias(node)) {
      visit(node.resolve(source.document), path, true);
    } else if (aliased) {
      if (substitutedNodes.has(node)) onSubstituted?.(path);
    } else if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) {
      let substituted = false;
      node.value = node.value.replace(REFERENCE, (match, escape: string, name: string) => {
        if (escape === "$") return match.slice(1);
        const position = locatePath(source, path);
        if (!VARIABLE_NAME.test(name)) {
          issues.push({ path, ...position, message: `invalid variable reference ${match}` });
          return match;
        }
        const value = env[name];
        if (value === undefined) {
          issues.push({ path, ...position, message: `environment variable ${name} is not set` });
          return match;
        }
        substituted = true;
        return value;
      });
      if (substituted) {
        substitutedNodes.add(node);
        onSubstituted?.(path);
      }
    }
  };
  visit(source.document.contents, []);
  return issues;
}
