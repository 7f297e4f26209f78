// Model files for the performance-estimation run of `npm run bench:check`: 1,000,000 reference
// and 1,000,000 current rows of a binary classifier (two features, its calibrated score, its
// prediction; the reference also has the label), generated once into bench/out/ (reused when
// present). Deterministic (seeded). Over the current file the case mix moves towards the decision
// boundary (the model's risk spread shrinks from 1.2 to 0.5), so the later chunks' estimated
// accuracy leaves its thresholds.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { generator, writeCsvFile } from "./check_data.js";

export const MODEL_ROWS = 1_000_000;

function* modelLines(seed: number, current: boolean): Generator<string> {
  const random = generator(seed);
  for (let row = 0; row < MODEL_ROWS; row++) {
    const spread = current ? 1.2 - (0.7 * row) / MODEL_ROWS : 1.2;
    const risk = spread * random.normal();
    const score = 1 / (1 + Math.exp(-2.5 * risk));
    const income = (52000 - 14000 * risk + 4000 * random.normal()).toFixed(2);
    const age = Math.max(18, Math.round(41 - 4 * risk + 10 * random.normal()));
    const label = random.uniform() < score ? 1 : 0;
    const cells = `${income},${age},${score.toFixed(6)},${score >= 0.5 ? 1 : 0}`;
    yield current ? cells : `${cells},${label}`;
  }
}

async function writeModelCsv(path: string, seed: number, current: boolean): Promise<void> {
  const header = current ? "income,age,score,prediction" : "income,age,score,prediction,label";
  await writeCsvFile(path, header, modelLines(seed, current));
}

export async function ensureModelData(
  outDir: string,
): Promise<{ reference: string; current: string }> {
  await mkdir(outDir, { recursive: true });
  const reference = join(outDir, "check-model-reference.csv");
  const current = join(outDir, "check-model-current.csv");
  if (!existsSync(reference)) await writeModelCsv(reference, 20261125, false);
  if (!existsSync(current)) await writeModelCsv(current, 20261126, true);
  return { reference, current };
}
