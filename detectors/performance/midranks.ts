// Midranks (average ranks, 1-based, tied values sharing the mean of their ranks), the building
// block of the Mann-Whitney form of ROC AUC and of DeLong's structural components.

/** Midranks of `values` in their own order. O(n log n). */
export function midranks(values: Float64Array): Float64Array {
  const n = values.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  order.sort((left, right) => values[left] - values[right]);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end += 1;
    // Rows start…end−1 (0-based) hold ranks start+1 … end: their mean is (start + 1 + end) / 2.
    const sharedRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k += 1) ranks[order[k]] = sharedRank;
    start = end;
  }
  return ranks;
}
