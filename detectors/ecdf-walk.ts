// One merged walk over two ascending sorted samples that yields both ECDF-gap figures: the KS
// statistic (largest |F_ref − F_cur| at the observed values, as scipy's ks_2samp evaluates it)
// and the Wasserstein-1 distance (Σ |F_ref − F_cur| × gap to the next distinct value, as
// scipy's wasserstein_distance). Shared by ks/two-sample-statistic.ts and wasserstein.ts so
// compareNumeric reads the data once for both.

export interface EcdfWalkResult {
  ksStatistic: number;
  wasserstein: number;
}

export function walkEcdfs(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
): EcdfWalkResult {
  const n = reference.length;
  const m = current.length;
  if (n === 0 || m === 0) throw new RangeError("both samples must be non-empty");
  let largestAbove = 0; // max of F_ref − F_cur (≥ 0: the gap is 0 past the last value)
  let largestBelow = 0; // max of F_cur − F_ref, clipped at 0 as scipy does
  // Neumaier-compensated sum of the area terms (millions of them).
  let area = 0;
  let compensation = 0;
  let i = 0;
  let j = 0;
  let value = Math.min(reference[0]!, current[0]!);
  for (;;) {
    while (i < n && reference[i]! <= value) i++;
    while (j < m && current[j]! <= value) j++;
    const gap = i / n - j / m; // the same divisions scipy performs
    if (gap > largestAbove) largestAbove = gap;
    else if (-gap > largestBelow) largestBelow = -gap;
    if (i === n && j === m) break;
    const next =
      i === n ? current[j]! : j === m ? reference[i]! : Math.min(reference[i]!, current[j]!);
    const term = Math.abs(gap) * (next - value);
    const sum = area + term;
    compensation += Math.abs(area) >= term ? area - sum + term : term - sum + area;
    area = sum;
    value = next;
  }
  return { ksStatistic: Math.max(largestAbove, largestBelow), wasserstein: area + compensation };
}
