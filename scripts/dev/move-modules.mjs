#!/usr/bin/env node
// Moves TypeScript modules and rewrites every relative import of them (and every relative import
// inside them) across the repository. A developer tool for restructuring, not used at run time.
//
//   node scripts/dev/move-modules.mjs from.ts=to.ts [dir/=newdir/ ...]
//
// A pair ending in "/" moves every .ts file under the folder. Imports are written with the ".js"
// extension, as the sources do (NodeNext resolution).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOTS = ["src", "alerts", "detectors", "dashboards", "test", "bench", "scripts", "examples"];
const SPECIFIER = /((?:from|import|mock|importActual)\s*\(?\s*)(["'])(\.{1,2}\/[^"']+)\2/g;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mts|mjs)$/.test(name)) out.push(resolve(path));
  }
  return out;
}

/** Resolved path of a relative specifier written from `file` (".js" names its ".ts" source). */
function targetOf(file, specifier) {
  return resolve(dirname(file), specifier).replace(/\.js$/, ".ts");
}

function specifierFor(fromFile, targetTs, original) {
  let path = relative(dirname(fromFile), targetTs);
  if (!path.startsWith(".")) path = `./${path}`;
  if (original.endsWith(".js")) path = path.replace(/\.ts$/, ".js");
  return path;
}

const pairs = process.argv.slice(2).map((arg) => arg.split("="));
const moves = new Map();
for (const [from, to] of pairs) {
  if (from.endsWith("/")) {
    for (const file of walk(from)) moves.set(file, resolve(to, relative(resolve(from), file)));
  } else {
    moves.set(resolve(from), resolve(to));
  }
}

const files = ROOTS.flatMap((root) => walk(root));
const rewritten = new Map();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const newFile = moves.get(file) ?? file;
  const next = text.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    const target = targetOf(file, specifier);
    const newTarget = moves.get(target) ?? target;
    if (newTarget === target && newFile === file) return whole;
    return `${lead}${quote}${specifierFor(newFile, newTarget, specifier)}${quote}`;
  });
  if (next !== text) rewritten.set(file, next);
}
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync("git", ["mv", relative(".", from), relative(".", to)]);
}
for (const [file, text] of rewritten) writeFileSync(moves.get(file) ?? file, text);
console.log(`moved ${moves.size} files, rewrote imports in ${rewritten.size}`);
