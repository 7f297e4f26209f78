#!/usr/bin/env node
// Writes the README's performance-estimation example: examples/data/model-reference.csv (4,000
// rows) and examples/data/model-current.csv (3,000 rows = 6 chunks of 500) of a binary credit
// classifier: features age, income and region, the model's calibrated score (the probability of
// default), its prediction (score >= 0.5) and the label (default or not, drawn from the score).
// Over the current file's chunks the case mix moves towards the decision boundary (applicants'
// incomes bunch up), so the model's accuracy falls while its scores stay calibrated; the last
// three chunks have no labels yet (labels arrive late). Deterministic (seeded).
//   node scripts/examples/model-example.mjs [output directory, default examples/data]
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function generator(seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

const REGIONS = ["north", "south", "east", "west"];

/** One applicant whose risk (the model's logit) is spread by `spread` around 0. */
function row(random, spread, labelled) {
  const risk = spread * random.normal();
  const score = 1 / (1 + Math.exp(-2.5 * risk));
  const income = 52000 - 14000 * risk + 4000 * random.normal();
  const age = Math.max(18, Math.round(41 - 4 * risk + 10 * random.normal()));
  const region = REGIONS[Math.floor(random.uniform() * REGIONS.length)];
  const label = random.uniform() < score ? 1 : 0;
  const cells = [age, income.toFixed(2), region, score.toFixed(4), score >= 0.5 ? 1 : 0];
  return [...cells, labelled ? label : ""].join(",");
}

const HEADER = "age,income,region,score,prediction,defaulted";

const outDir = process.argv[2] ?? join(root, "examples", "data");

function write(name, lines) {
  writeFileSync(join(outDir, name), `${HEADER}\n${lines.join("\n")}\n`);
}

const reference = generator(18_0601);
write(
  "model-reference.csv",
  Array.from({ length: 4000 }, () => row(reference, 1.2, true)),
);

const current = generator(18_0602);
const CHUNKS = 6;
const CHUNK_ROWS = 500;
const lines = [];
for (let chunk = 0; chunk < CHUNKS; chunk++) {
  const spread = 1.2 - 0.17 * chunk; // 1.2 … 0.35: more applicants near the boundary
  for (let index = 0; index < CHUNK_ROWS; index++) {
    lines.push(row(current, spread, chunk < CHUNKS / 2));
  }
}
write("model-current.csv", lines);
