// Deterministic test samples that scripts/fixtures/detectors.py generates bit-identically
// (counter-based murmur3-finalizer words → 53-bit uniforms → + − × ÷ √ only), so large windows
// need no committed raw data. Keep in step with `generated_sample` in that script.

export type SampleSpec =
  | { seed: number; n: number; kind: "normal"; mean: number; std: number }
  | { seed: number; n: number; kind: "skewed"; scale: number }
  | { seed: number; n: number; kind: "discrete"; levels: number }
  | { seed: number; n: number; kind: "rounded_normal"; mean: number; std: number; step: number };

const SQRT3 = Math.sqrt(3);
const COMPONENTS = 4;

function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function word(seed: number, counter: number): number {
  return fmix32((fmix32((counter | (seed << 24)) >>> 0) + 0x6d2b79f5) >>> 0);
}

function uniform(seed: number, index: number): number {
  const hi = word(seed, 2 * index);
  const lo = word(seed, 2 * index + 1);
  return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
}

export function generateSample(spec: SampleSpec): Float64Array {
  if (spec.n * COMPONENTS * 2 > 2 ** 24 || spec.seed < 0 || spec.seed > 255) {
    throw new RangeError("generateSample: n or seed out of the generator's range");
  }
  const sample = new Float64Array(spec.n);
  for (let row = 0; row < spec.n; row++) {
    const base = row * COMPONENTS;
    const u0 = uniform(spec.seed, base);
    const u1 = uniform(spec.seed, base + 1);
    const u2 = uniform(spec.seed, base + 2);
    const u3 = uniform(spec.seed, base + 3);
    switch (spec.kind) {
      case "normal":
        sample[row] = spec.mean + spec.std * ((u0 + u1 + u2 + u3 - 2) * SQRT3);
        break;
      case "skewed":
        sample[row] = (spec.scale * (u0 * u1)) / (u2 + 0.05);
        break;
      case "discrete":
        sample[row] = Math.floor(spec.levels * u0);
        break;
      case "rounded_normal":
        sample[row] =
          Math.floor((spec.mean + spec.std * ((u0 + u1 + u2 + u3 - 2) * SQRT3)) / spec.step) *
          spec.step;
        break;
    }
  }
  return sample;
}
