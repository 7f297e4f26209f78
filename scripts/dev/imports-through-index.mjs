#!/usr/bin/env node
// Rewrites imports of another part's inner files to go through that part's index.ts (the rule
// "only-through-index" of .dependency-cruiser.cjs), adding to the index any name it does not yet
// export. A developer tool for restructuring; prettier and tsc run after it.
//
//   node scripts/dev/imports-through-index.mjs [file.ts ...]   (default: every source file)
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SOURCE_ROOTS = ["src", "alerts", "detectors", "dashboards"];
const PART = /^(src\/[^/]+|alerts|detectors|dashboards)\//;
const IMPORT =
  /(import|export)(\s+type)?\s*(\{[^}]*\}|\*\s+as\s+\w+|\w+)?\s*from\s*(["'])(\.{1,2}\/[^"']+)\4;?/g;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

const partOf = (path) => PART.exec(path)?.[1];
const repoPath = (abs) => relative(process.cwd(), abs);

function specifier(fromFile, target) {
  let path = relative(dirname(fromFile), target).replace(/\.ts$/, ".js");
  if (!path.startsWith(".")) path = `./${path}`;
  return path;
}

/** Names in `{ a, type B, c as d }`, with whether each is type-only. */
function namesOf(braces, wholeIsType) {
  return braces
    .slice(1, -1)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const isType = wholeIsType || entry.startsWith("type ");
      const name = entry
        .replace(/^type\s+/, "")
        .split(/\s+as\s+/)[0]
        .trim();
      return { name, isType };
    });
}

const files =
  process.argv.length > 2 ? process.argv.slice(2) : SOURCE_ROOTS.flatMap((r) => walk(r));
/** index path → lines to append. */
const additions = new Map();
const indexText = new Map();
const readIndex = (index) => {
  if (!indexText.has(index)) indexText.set(index, readFileSync(index, "utf8"));
  return indexText.get(index);
};
let rewrites = 0;

for (const file of files) {
  const filePart = partOf(file);
  if (filePart === undefined) continue;
  const text = readFileSync(file, "utf8");
  const next = text.replace(IMPORT, (whole, keyword, typeWord, clause, quote, spec) => {
    const target = repoPath(resolve(dirname(file), spec).replace(/\.js$/, ".ts"));
    const targetPart = partOf(target);
    if (targetPart === undefined || targetPart === filePart) return whole;
    if (targetPart === "dashboards") return whole;
    const index = `${targetPart}/index.ts`;
    if (target === index || !existsSync(index)) return whole;
    if (clause === undefined || !clause.startsWith("{")) {
      console.warn(`left alone (not a named import): ${file}: ${whole}`);
      return whole;
    }
    for (const { name, isType } of namesOf(clause, typeWord !== undefined)) {
      const exported = new RegExp(`(^|[\\s{,])(type\\s+)?${name}([\\s,}]|$)`, "m");
      const pending = additions.get(index) ?? [];
      if (exported.test(readIndex(index)) || pending.some((line) => line.includes(` ${name} `)))
        continue;
      const from = specifier(index, target);
      pending.push(`export ${isType ? "type " : ""}{ ${name} } from "${from}";`);
      additions.set(index, pending);
    }
    rewrites++;
    return whole.replace(`${quote}${spec}${quote}`, `${quote}${specifier(file, index)}${quote}`);
  });
  if (next !== text) writeFileSync(file, next);
}
for (const [index, lines] of additions) {
  writeFileSync(index, `${readIndex(index).trimEnd()}\n${lines.join("\n")}\n`);
  console.log(`${index}: +${lines.length} exports`);
}
console.log(`rewrote ${rewrites} imports`);
