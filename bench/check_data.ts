// Benchmark data for `npm run bench:check`: two CSV files (reference and current) of 1,000,000
// rows × 20 numeric features each, generated once into bench/out/ (reused when present).
// Deterministic (seeded); several features drift in the current file.
import { existsSync } from "node:fs";
import { mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";

export const BENCH_ROWS = 1_000_000;
export const BENCH_FEATURES = 20;

/** A small seeded generator (mulberry32) with normal draws by Box-Muller. */
export function generator(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
  return { uniform, normal };
}

type Feature = (random: ReturnType<typeof generator>, drifted: boolean) => string;

/** Twenty features of a credit-risk-like table: amounts, ages, rates, scores, counts. */
const FEATURES: Feature[] = Array.from({ length: BENCH_FEATURES }, (_, index) => {
  const shift = index % 4 === 0; // features 0, 4, 8, 12, 16 drift
  switch (index % 5) {
    case 0:
      return (r, drifted) =>
        (Math.exp(10.8 + 0.5 * r.normal()) * (drifted && shift ? 1.25 : 1)).toFixed(2);
    case 1:
      return (r, drifted) =>
        String(Math.max(18, Math.round(41 + 12 * r.normal() + (drifted && shift ? 4 : 0))));
    case 2:
      return (r, drifted) => (0.05 + 0.02 * r.normal() + (drifted && shift ? 0.01 : 0)).toFixed(5);
    case 3:
      return (r, drifted) => (600 + 80 * r.normal() - (drifted && shift ? 30 : 0)).toFixed(1);
    default:
      return (r, drifted) =>
        String(Math.floor(-Math.log(1 - r.uniform()) * (drifted && shift ? 4 : 3)));
  }
});

/**
 * Writes `header` and then each line of `lines` to `path`, in 4 MiB pieces, through a `.partial`
 * file renamed at the end (an interrupted run leaves no half file to be reused).
 */
export async function writeCsvFile(
  path: string,
  header: string,
  lines: Iterable<string>,
): Promise<void> {
  const temporary = `${path}.partial`;
  const file = await open(temporary, "w");
  try {
    let text = `${header}\n`;
    for (const line of lines) {
      text += `${line}\n`;
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

function* benchLines(seed: number, drifted: boolean): Generator<string> {
  const random = generator(seed);
  for (let row = 0; row < BENCH_ROWS; row++) {
    const cells = new Array<string>(BENCH_FEATURES);
    for (let column = 0; column < BENCH_FEATURES; column++) {
      cells[column] = FEATURES[column](random, drifted);
    }
    yield cells.join(",");
  }
}

async function writeCsv(path: string, seed: number, drifted: boolean): Promise<void> {
  const header = FEATURES.map((_, index) => `f${String(index).padStart(2, "0")}`).join(",");
  await writeCsvFile(path, header, benchLines(seed, drifted));
}

export async function ensureBenchData(
  outDir: string,
): Promise<{ reference: string; current: string }> {
  await mkdir(outDir, { recursive: true });
  const reference = join(outDir, "check-reference.csv");
  const current = join(outDir, "check-current.csv");
  if (!existsSync(reference)) await writeCsv(reference, 20261123, false);
  if (!existsSync(current)) await writeCsv(current, 20261124, true);
  return { reference, current };
}
