// The `check --json` document as text: DESIGN's contract, pretty-printed. Refuses to print NaN or
// Infinity (JSON has neither; JSON.stringify would silently turn them into null).
import type { CheckReport } from "./report.js";

export function renderJson(report: CheckReport): string {
  return (
    JSON.stringify(
      report,
      (key, value: unknown) => {
        if (typeof value === "number" && !Number.isFinite(value)) {
          throw new Error(
            `check: refusing to print a non-finite number for ${JSON.stringify(key)}`,
          );
        }
        return value;
      },
      2,
    ) + "\n"
  );
}
