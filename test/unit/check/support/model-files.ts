// Generated model files for the performance tests of `check`: a binary classifier whose scores are
// exact probabilities (labels drawn from them) and a three-class one (softmax scores), with a
// feature, in CSV or JSONL; the spread of the model's risk sets the case mix (small spread: rows
// near the boundary, lower accuracy).

/** A seeded uniform generator (mulberry32) with normal draws. */
export function generator(seed: number): { uniform: () => number; normal: () => number } {
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

export interface BinaryRow {
  x: number;
  score: number;
  prediction: number;
  label: number | null;
}

/** `rows` binary rows with the model's risk spread by `spread`. */
export function binaryRows(
  rows: number,
  seed: number,
  spread: number,
  labelled = true,
): BinaryRow[] {
  const random = generator(seed);
  return Array.from({ length: rows }, () => {
    const risk = spread * random.normal();
    const score = Number((1 / (1 + Math.exp(-2.5 * risk))).toFixed(6));
    const label = random.uniform() < score ? 1 : 0;
    return {
      x: Number((10 + 3 * random.normal()).toFixed(3)),
      score,
      prediction: score >= 0.5 ? 1 : 0,
      label: labelled ? label : null,
    };
  });
}

export function binaryCsv(rows: readonly BinaryRow[]): string {
  const lines = rows.map((r) => `${r.x},${r.score},${r.prediction},${r.label ?? ""}`);
  return `x,score,prediction,label\n${lines.join("\n")}\n`;
}

export function binaryJsonl(rows: readonly BinaryRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

export const CLASSES = ["cat", "dog", "bird"] as const;

/** `rows` three-class rows: softmax of random logits scaled by `spread`, labels drawn from them. */
export function multiclassCsv(rows: number, seed: number, spread: number, labelled = true): string {
  const random = generator(seed);
  const lines = Array.from({ length: rows }, () => {
    const logits = CLASSES.map(() => spread * random.normal());
    const exps = logits.map((logit) => Math.exp(logit));
    const total = exps.reduce((sum, value) => sum + value, 0);
    const scores = exps.map((value) => Number((value / total).toFixed(6)));
    const draw = random.uniform();
    let label = CLASSES.length - 1;
    for (let c = 0, cumulative = 0; c < CLASSES.length; c++) {
      cumulative += scores[c]!;
      if (draw < cumulative) {
        label = c;
        break;
      }
    }
    const predicted = scores.indexOf(Math.max(...scores));
    const x = (5 + random.normal()).toFixed(3);
    return `${x},${scores.join(",")},${CLASSES[predicted]},${labelled ? CLASSES[label] : ""}`;
  });
  return `x,p_cat,p_dog,p_bird,predicted,label\n${lines.join("\n")}\n`;
}
