// How far a rival's figures are from `driftwatch check --json`'s, for `npm run bench:check`: every
// figure check prints (per column and for the dataset) looked up in the rival's document; numbers
// by relative difference (KS p-values apart, DESIGN's 1e-4 contract), the rest must be equal.
export interface FiguresDocument {
  columns: Record<string, Record<string, unknown>>;
  drift_share?: unknown;
  drifted?: unknown;
}

export interface Agreement {
  /** Largest relative difference over the numeric figures, KS p-values excepted. */
  max_rel_diff: number;
  /** Largest relative difference of the KS p-values. */
  max_rel_diff_ks_p_value: number;
  /** Figures compared (numbers, texts and flags). */
  figures_compared: number;
  /** Texts or flags that differ, and figures the rival does not give, as "column.path". */
  mismatches: string[];
  not_given: string[];
}

function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale > 1e-300 ? Math.abs(a - b) / scale : 0;
}

export function compareFigures(check: FiguresDocument, rival: FiguresDocument): Agreement {
  const agreement: Agreement = {
    max_rel_diff: 0,
    max_rel_diff_ks_p_value: 0,
    figures_compared: 0,
    mismatches: [],
    not_given: [],
  };
  const visit = (ours: unknown, theirs: unknown, path: string): void => {
    if (ours !== null && typeof ours === "object") {
      for (const [key, value] of Object.entries(ours)) {
        const next = (theirs as Record<string, unknown> | undefined)?.[key];
        visit(
          value,
          typeof theirs === "object" && theirs !== null ? next : undefined,
          `${path}.${key}`,
        );
      }
      return;
    }
    if (theirs === undefined) {
      agreement.not_given.push(path);
      return;
    }
    agreement.figures_compared++;
    if (typeof ours === "number" && typeof theirs === "number") {
      const difference = relativeDifference(ours, theirs);
      if (path.endsWith(".ks.p_value"))
        agreement.max_rel_diff_ks_p_value = Math.max(agreement.max_rel_diff_ks_p_value, difference);
      else agreement.max_rel_diff = Math.max(agreement.max_rel_diff, difference);
    } else if (ours !== theirs) {
      agreement.mismatches.push(`${path}: ${String(ours)} vs ${String(theirs)}`);
    }
  };
  for (const [name, column] of Object.entries(check.columns))
    visit(column, rival.columns[name], name);
  visit(check.drift_share, rival.drift_share, "drift_share");
  visit(check.drifted, rival.drifted, "drifted");
  return agreement;
}

/** The agreement in a few printable fields (mismatch lists cut to their first 5). */
export function agreementFigures(agreement: Agreement): Record<string, unknown> {
  return {
    max_rel_diff: Number(agreement.max_rel_diff.toPrecision(2)),
    max_rel_diff_ks_p_value: Number(agreement.max_rel_diff_ks_p_value.toPrecision(2)),
    figures_compared: agreement.figures_compared,
    mismatches: agreement.mismatches.length,
    ...(agreement.mismatches.length === 0
      ? {}
      : { first_mismatches: agreement.mismatches.slice(0, 5) }),
    ...(agreement.not_given.length === 0
      ? {}
      : {
          not_given: agreement.not_given.length,
          first_not_given: agreement.not_given.slice(0, 5),
        }),
  };
}
