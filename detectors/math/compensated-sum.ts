// Neumaier (improved Kahan) compensated summation: sums long streams of terms with an error of
// about one rounding, independent of the number of terms. Used where the term count is large
// (millions of ECDF gaps) and numpy's own summation order cannot be reproduced cheaply.

/** Running compensated sum; `add` terms, read `value`. */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const next = this.sum + term;
    if (Math.abs(this.sum) >= Math.abs(term)) this.compensation += this.sum - next + term;
    else this.compensation += term - next + this.sum;
    this.sum = next;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
