// The result vocabulary is the one place that spells metric names: no TypeScript under src/,
// alerts/ or detectors/ outside detectors/vocabulary/ holds a metric or drift-test name as a
// string literal (YAML, dashboards and tests still name metrics). String literals are found with
// the TypeScript parser, so comments, property names (`result.psi`) and import paths
// ("./psi.js") do not count, while `"psi"`, `'mse'`, `` `roc_auc` `` and literal types do.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { VOCABULARY_NAMES } from "../../../detectors/index.js";

const ROOT = join(import.meta.dirname, "../../..");
const SCANNED = ["src", "alerts", "detectors"];
const VOCABULARY_DIR = "detectors/vocabulary/";

/**
 * Files that may spell a name in another sense, each with exactly those names and why. Narrow on
 * purpose: any other name in these files, or any name in any other file, fails the test.
 */
const ALLOWED: Readonly<
  Record<string, { readonly names: readonly string[]; readonly why: string }>
> = {
  "src/config/schema/alerts/self-monitoring.ts": {
    names: ["heartbeat"],
    why: "the YAML key alerts.selfMonitoring.heartbeat in an issue's path, not the metric",
  },
};

function typeScriptFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...typeScriptFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

/** Every string literal of a source equal to a vocabulary name, with its line. */
function spelledNames(fileName: string, text: string): { name: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: { name: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      VOCABULARY_NAMES.has(node.text)
    ) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ name: node.text, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("result vocabulary: metric names are spelled in detectors/vocabulary only", () => {
  it("knows the names of every result kind, the drift tests and both directions' metrics", () => {
    for (const name of [
      "psi",
      "js",
      "ks",
      "chi2",
      "ks_p_value",
      "chi2_statistic",
      "wasserstein_normed",
      "missing_share",
      "row_count",
      "drift_share",
      "label_coverage",
      "accuracy",
      "f1_macro",
      "roc_auc",
      "log_loss",
      "mae",
      "mse",
      "rmse",
      "ingest_lag_seconds",
    ]) {
      expect(VOCABULARY_NAMES.has(name), name).toBe(true);
    }
  });

  it("finds names in string literals, template literals and literal types, not elsewhere", () => {
    const source = [
      `import { psi } from "./psi.js";`,
      `// the psi figure, "js" in a comment`,
      `const a = result.psi + result.wasserstein_normed;`,
      `const b = { roc_auc: 1 };`,
      `const c = 'mse';`,
      "const d = `roc_auc`;",
      `type E = "ks" | "other";`,
      "const f = `${x}_psi`;",
    ].join("\n");
    expect(spelledNames("sample.ts", source)).toEqual([
      { name: "mse", line: 5 },
      { name: "roc_auc", line: 6 },
      { name: "ks", line: 7 },
    ]);
  });

  it("no TypeScript under src/, alerts/ or detectors/ spells one outside the vocabulary", () => {
    const files = SCANNED.flatMap(typeScriptFiles).filter(
      (file) => !file.startsWith(VOCABULARY_DIR),
    );
    expect(files.length).toBeGreaterThan(100);
    const offending: string[] = [];
    for (const file of files) {
      const allowed = new Set(ALLOWED[file]?.names ?? []);
      for (const { name, line } of spelledNames(file, readFileSync(join(ROOT, file), "utf8"))) {
        if (!allowed.has(name)) offending.push(`${file}:${line} "${name}"`);
      }
    }
    expect(offending).toEqual([]);
  });

  it("lists only files that exist and names of the vocabulary as allowed", () => {
    for (const [file, { names }] of Object.entries(ALLOWED)) {
      expect(() => readFileSync(join(ROOT, file)), file).not.toThrow();
      for (const name of names) expect(VOCABULARY_NAMES.has(name), `${file}: ${name}`).toBe(true);
    }
  });
});
