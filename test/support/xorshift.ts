// A deterministic 32-bit xorshift stream (shifts 13, 17, 5) for tests that need many
// reproducible values fast; the performance fixtures' Python generator uses the same stream.

/** Successive unsigned 32-bit states from `seed` (which must be non-zero as a 32-bit value). */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}
