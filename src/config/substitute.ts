// `${VAR}` substitution in the string values of the YAML file (for secrets); `$${…}` escapes it.
import { isMap, isPair, isScalar, isSeq } from "yaml";
import type { ConfigIssue, ConfigPath } from "./errors.js";
import type { YamlSource } from "./yaml-source.js";
import { locatePath } from "./yaml-source.js";

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replace `${NAME}` in every string scalar value (never in keys) by the variable's value, in place.
 * `$${NAME}` stays as the literal text `${NAME}`. Returns one issue per missing or malformed reference.
 */
export function substituteVariables(
  source: YamlSource,
  env: Readonly<Record<string, string | undefined>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: ConfigPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => visit(item, [...path, index]));
    } else if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) {
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
        return value;
      });
    }
  };
  visit(source.document.contents, []);
  return issues;
}
