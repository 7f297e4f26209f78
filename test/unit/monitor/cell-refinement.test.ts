// Refining stored cells (the materialized views' fixed grid: a double's top 20 bits) to the
// reference's fine edges, against counting the values themselves: exact wherever no cell
// straddles an edge, within the straddling cells' counts elsewhere, the total always kept.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binIndex } from "../../../detectors/index.js";
import { refineCells, type Cells } from "../../../src/monitor/cell-refinement.js";
import { CELL_SHIFT } from "../../../src/store/migrations/010_window_histograms.js";

/** The cell ClickHouse's view computes: bitShiftRight(reinterpretAsUInt64(v), CELL_SHIFT). */
function cellOf(value: number): number {
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, value);
  return bits.getUint32(0) >>> (CELL_SHIFT - 32);
}

/** What the views store for these values: per cell its count, min and max. */
function cellsOf(values: readonly number[]): Cells {
  const byCell = new Map<number, { n: number; lo: number; hi: number }>();
  for (const value of values) {
    const key = cellOf(value);
    const cell = byCell.get(key);
    if (cell === undefined) byCell.set(key, { n: 1, lo: value, hi: value });
    else {
      cell.n++;
      cell.lo = Math.min(cell.lo, value);
      cell.hi = Math.max(cell.hi, value);
    }
  }
  const cells = [...byCell.values()];
  return {
    counts: cells.map((cell) => cell.n),
    lo: cells.map((cell) => cell.lo),
    hi: cells.map((cell) => cell.hi),
  };
}

function exactCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const value of values) counts[binIndex(edges, value)]!++;
  return counts;
}

const nasty = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -4, max: 4, noNaN: true }),
  fc.constantFrom(
    0,
    -0,
    Number.MIN_VALUE,
    -Number.MIN_VALUE,
    2.2250738585072014e-308,
    1,
    1 + 2 ** -52,
    1e308,
    -1e308,
  ),
  fc.integer({ min: -1000, max: 1000 }).map((k) => 1000 + k / 1000),
);

describe("refining stored cells to fine edges", () => {
  it("keeps every row, and errs in a bin by no more than the straddling cells at its edges", () => {
    fc.assert(
      fc.property(
        fc.array(nasty, { minLength: 1, maxLength: 400 }),
        fc.uniqueArray(nasty, { maxLength: 30 }),
        (values, rawEdges) => {
          const edges = [...new Set(rawEdges.map((edge) => (edge === 0 ? 0 : edge)))].sort(
            (a, b) => a - b,
          );
          const cells = cellsOf(values);
          const range = { min: edges[0] ?? 0, max: edges[edges.length - 1] ?? 0 };
          const refined = refineCells(cells, edges, range);
          const exact = exactCounts(values, edges);
          expect(refined.n).toBe(values.length);
          expect(refined.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
          expect(refined.min).toBe(Math.min(...values));
          expect(refined.max).toBe(Math.max(...values));
          // Per bin: off by at most the straddling cells' rows (each cell straddles edges of
          // neighbouring bins only, so twice the largest straddling count bounds any bin).
          for (let bin = 0; bin <= edges.length; bin++) {
            expect(refined.counts[bin]!).toBeGreaterThanOrEqual(0);
            expect(Number.isInteger(refined.counts[bin]!)).toBe(true);
            expect(Math.abs(refined.counts[bin]! - exact[bin]!)).toBeLessThanOrEqual(
              2 * refined.straddle,
            );
          }
          if (refined.straddle === 0) {
            expect(Array.from(refined.counts)).toEqual(exact);
            const outside = values.filter((v) => v < range.min || v > range.max).length;
            expect(refined.outsideRange).toBe(outside);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("stays close on a smooth distribution: 100 quantile edges of 200,000 normal values", () => {
    let seed = 7;
    const uniform = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const normal = () =>
      Math.sqrt(-2 * Math.log(uniform() + 1e-300)) * Math.cos(2 * Math.PI * uniform());
    const reference = Array.from({ length: 200_000 }, normal).sort((a, b) => a - b);
    const edges = [...new Set(Array.from({ length: 99 }, (_, k) => reference[(k + 1) * 2000]!))];
    const current = Array.from({ length: 200_000 }, () => normal() + 0.1);
    const refined = refineCells(cellsOf(current), edges, {
      min: reference[0]!,
      max: reference[reference.length - 1]!,
    });
    const exact = exactCounts(current, edges);
    // The grid's cells are 2^-8 wide relative to the value: a cell holds ≤ 0.2 % of the rows
    // here, so the feature qualifies for the stored path (MAX_STRADDLE_SHARE 0.5 %) …
    expect(refined.straddle / current.length).toBeLessThan(0.002);
    // … and the uniform split inside the straddling cells is off by far less than a cell.
    let worst = 0;
    for (let bin = 0; bin < exact.length; bin++) {
      worst = Math.max(worst, Math.abs(refined.counts[bin]! - exact[bin]!));
    }
    expect(worst / current.length).toBeLessThan(0.0005);
    expect(worst).toBeLessThanOrEqual(refined.straddle);
  });

  it("counts a feature with one value per cell exactly, whatever its edges", () => {
    const values = [-3.5, -0, 0, 0.1, 0.2, 7, 7, 7, 1e-300];
    const edges = [-1, 0, 0.1, 7];
    const refined = refineCells(cellsOf(values), edges, { min: -1, max: 7 });
    expect(refined.straddle).toBe(0);
    expect(Array.from(refined.counts)).toEqual(exactCounts(values, edges));
    expect(refined.outsideRange).toBe(1);
  });
});
