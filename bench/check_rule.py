"""The parts the Python rivals of `npm run bench:check` share: reading the two CSV files with
pandas' C reader, the missing-value counts, and DESIGN's default drift rule applied to one column's
figures, so each rival prints every per-column figure `driftwatch check --json` prints; `run`
is each rival's main.
"""

import json
import sys
import time

import numpy as np
import pandas as pd

WASSERSTEIN_THRESHOLD = 0.1
KS_THRESHOLD = 0.05
PSI_THRESHOLD = 0.2


def read_columns(reference_path: str, current_path: str):
    """Yield (name, reference values, current values, missing in each) for the shared columns."""
    reference_frame = pd.read_csv(reference_path)
    current_frame = pd.read_csv(current_path)
    for name in reference_frame.columns:
        if name not in current_frame.columns:
            continue
        reference = reference_frame[name].to_numpy(dtype=np.float64)
        current = current_frame[name].to_numpy(dtype=np.float64)
        reference_missing = np.isnan(reference)
        current_missing = np.isnan(current)
        yield (
            name,
            reference[~reference_missing],
            current[~current_missing],
            int(reference_missing.sum()),
            int(current_missing.sum()),
        )


def apply_rule(figures: dict, missing_reference: int, missing_current: int) -> dict:
    """DESIGN's default numeric rule: KS p < 0.05 up to 1000 reference rows, else normed
    Wasserstein >= 0.1; PSI >= 0.2 reported beside."""
    figures["computable"] = True
    figures["missing_reference"] = missing_reference
    figures["missing_current"] = missing_current
    if figures["n_reference"] <= 1000:
        value, threshold = figures["ks"]["p_value"], KS_THRESHOLD
        figures.update(test="ks", value=value, threshold=threshold, drifted=value < threshold)
    else:
        value, threshold = figures["wasserstein_normed"], WASSERSTEIN_THRESHOLD
        figures.update(
            test="wasserstein_normed", value=value, threshold=threshold, drifted=value >= threshold
        )
    figures["psi_drifted"] = bool(figures["psi"] >= PSI_THRESHOLD)
    return figures


def document(columns: dict) -> dict:
    share = sum(column["drifted"] for column in columns.values()) / len(columns)
    return {"columns": columns, "drift_share": share, "drifted": share >= 0.5}


def run(numeric_figures) -> None:
    """Read the two files named on the command line, compute each column's figures with
    `numeric_figures(reference, current)`, apply the rule and print the JSON document with the
    read and compute times."""
    began = time.perf_counter()
    columns_read = list(read_columns(sys.argv[1], sys.argv[2]))
    read_done = time.perf_counter()
    columns = {}
    for name, reference, current, missing_reference, missing_current in columns_read:
        figures = numeric_figures(reference, current)
        columns[name] = apply_rule(figures, missing_reference, missing_current)
    result = document(columns)
    result["read_s"] = read_done - began
    result["compute_s"] = time.perf_counter() - read_done
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
