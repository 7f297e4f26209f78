// Seeded synthetic classifier data for the estimation tests: x per row, the exact probability
// p = sigmoid(slope·x), the label a Bernoulli(p) draw, and the score the model reports (p itself
// when calibrated, a monotone distortion of it otherwise). mulberry32 + Box-Muller.

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedRows {
  scores: Float64Array;
  labels: Uint8Array;
}

export function normal(random: () => number, mean: number, sd: number): number {
  const u = 1 - random();
  const v = random();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Rows with x from `drawX`; score = distort(p). */
export function generateRows(
  random: () => number,
  rows: number,
  drawX: () => number,
  distort: (p: number) => number = (p) => p,
): GeneratedRows {
  const scores = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i += 1) {
    const p = 1 / (1 + Math.exp(-2 * drawX()));
    labels[i] = random() < p ? 1 : 0;
    scores[i] = distort(p);
  }
  return { scores, labels };
}
