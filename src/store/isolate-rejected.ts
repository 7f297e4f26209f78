// Finding the rows a server refuses. When an insert of many rows fails because of the rows
// themselves (a parse, type, size or check error: `rejectsRows`), retrying it can never succeed.
// The rows are split in halves until the refused ones stand alone; every other row is stored.
//
// Order is kept: ranges are inserted in ascending row order and each refused row is reported
// before any later row is attempted, so a writer that tracks "highest position stored" (the
// ingester) never stores a row past one it has not yet dealt with.
import { rejectsRows, type ClickHouseError } from "./errors.js";

export interface RejectedRow {
  /** Index of the refused row in the rows given. */
  readonly index: number;
  /** The server's error for that row alone. */
  readonly error: ClickHouseError;
}

/**
 * Insert rows `[0, count)` through `insertRange(from, to)` (which owns its own retries of
 * outages). A row-level rejection of a range of one row goes to `onRejected`; a range of more
 * rows is split in two. Any other error propagates (the caller decides: retry, or keep the rows).
 * Cost: one insert when nothing is refused; about 2·k·log2(count) for k refused rows.
 */
export async function insertIsolatingRejected(
  count: number,
  insertRange: (from: number, to: number) => Promise<void>,
  onRejected: (rejected: RejectedRow) => Promise<void> | void,
): Promise<void> {
  // An explicit stack of ranges, upper halves pushed first: ascending order, no recursion.
  const ranges: [number, number][] = count > 0 ? [[0, count]] : [];
  while (ranges.length > 0) {
    const [from, to] = ranges.pop()!;
    try {
      await insertRange(from, to);
    } catch (error) {
      if (!rejectsRows(error)) throw error;
      if (to - from === 1) {
        await onRejected({ index: from, error });
        continue;
      }
      const middle = from + Math.floor((to - from) / 2);
      ranges.push([middle, to], [from, middle]);
    }
  }
}
