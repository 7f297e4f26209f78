// Model files for the performance-estimation run of `npm run bench:check`: 1,000,000 reference
// and 1,000,000 current rows of a binary classifier (two features, its calibrated score, its
// prediction; the reference also has the label), generated once into bench/out/ (reused when
// present). Deterministic (seeded). Over the current file the case mix moves towards the decision
// boundary (the model's risk spread shrinks from 1.2 to 0.5), so the later chunks' estimated
// accuracy leaves its thresholds.
import { existsSync } from "node:fs";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";

export const MODEL_ROWS = 1_000_000;

function generator(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

async function writeModelCsv(path: string, seed: number, current: boolean): Promise<void> {
  const random = generator(seed);
  const temporary = `${path}.partial`;
  const file = await open(temporary, "w");
  try {
    let text = current ? "income,age,score,prediction\n" : "income,age,score,prediction,label\n";
    for (let row = 0; row < MODEL_ROWS; row++) {
      const spread = current ? 1.2 - (0.7 * row) / MODEL_ROWS : 1.2;
      const risk = spread * random.normal();
      const score = 1 / (1 + Math.exp(-2.5 * risk));
      const income = (52000 - 14000 * risk + 4000 * random.normal()).toFixed(2);
      const age = Math.max(18, Math.round(41 - 4 * risk + 10 * random.normal()));
      const label = random.uniform() < score ? 1 : 0;
      const cells = `${income},${age},${score.toFixed(6)},${score >= 0.5 ? 1 : 0}`;
      text += current ? `${cells}\n` : `${cells},${label}\n`;
      if (text.length > 1 << 22) {
        await file.write(text);
        text = "";
      }
    }
    await file.write(text);
  } finally {
    await file.close();
  }
  await rename(temporary, path);
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
