// Benjamini-Hochberg adjustment of a family of p-values (false discovery rate control): the
// i-th smallest of N p-values becomes min over j ≥ i of p₍ⱼ₎·N/j, capped at 1 (as
// statsmodels' multipletests(method="fdr_bh") reports them). Comparing adjusted p-values with
// α keeps the expected share of false drift alarms among flagged columns at most α.

/** Adjusted p-values, in the input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const count = pValues.length;
  pValues.forEach((p, index) => {
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`benjamini-hochberg: p-value #${index} is ${p}, expected 0…1`);
  });
  const order = pValues.map((_, index) => index).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(count);
  let running = 1;
  for (let rank = count; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    running = Math.min(running, (pValues[index]! * count) / rank);
    adjusted[index] = running;
  }
  return adjusted;
}
