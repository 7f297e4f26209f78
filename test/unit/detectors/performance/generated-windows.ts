// Deterministic large windows for the performance fixtures: the same xorshift32 stream and the
// same arithmetic as generate() in scripts/fixtures/performance.py, so 20k-row cases are
// committed as a recipe instead of as data.
import { xorshift32 } from "../../../support/xorshift.js";

export type GeneratorSpec =
  | { kind: "binary"; seed: number; n: number; intercept: number; slope: number }
  | { kind: "multiclass"; seed: number; n: number; classes: number; strength: number }
  | { kind: "regression"; seed: number; n: number; bias: number; noise: number };

export type GeneratedWindow =
  | { y_true: number[]; scores: number[] }
  | { y_true: number[]; scores: number[][] }
  | { y_true: number[]; y_pred: number[] };

/** Uniform draws in [0, 1): the xorshift32 stream over 2^32. */
function uniformFrom(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}

export function generateWindow(spec: GeneratorSpec): GeneratedWindow {
  const uniform = uniformFrom(spec.seed);
  const yTrue: number[] = [];
  switch (spec.kind) {
    case "binary": {
      const scores: number[] = [];
      for (let i = 0; i < spec.n; i += 1) {
        const score = Math.floor(uniform() * 1000) / 1000;
        const draw = uniform();
        yTrue.push(draw < spec.intercept + spec.slope * score ? 1 : 0);
        scores.push(score);
      }
      return { y_true: yTrue, scores };
    }
    case "multiclass": {
      const scores: number[][] = [];
      for (let i = 0; i < spec.n; i += 1) {
        const label = Math.floor(uniform() * spec.classes);
        const weights: number[] = [];
        for (let c = 0; c < spec.classes; c += 1) {
          let weight = uniform();
          if (c === label) weight = weight + spec.strength;
          weights.push(weight);
        }
        let total = 0;
        for (const weight of weights) total = total + weight;
        scores.push(weights.map((weight) => weight / total));
        yTrue.push(label);
      }
      return { y_true: yTrue, scores };
    }
    case "regression": {
      const yPred: number[] = [];
      for (let i = 0; i < spec.n; i += 1) {
        const target = Math.floor(uniform() * 2000) / 100 - 5;
        const prediction = target + (uniform() - 0.5 + spec.bias) * spec.noise;
        yTrue.push(target);
        yPred.push(prediction);
      }
      return { y_true: yTrue, y_pred: yPred };
    }
  }
}
