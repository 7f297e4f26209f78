"""The numpy/scipy baseline of `npm run bench:check`: reads the same two CSV files with pandas'
vectorised C reader and computes the same per-column statistics as `driftwatch check --json`
(DESIGN's definitions), then applies the same default drift rule. Prints the JSON document.

usage: python3 bench/check_scipy.py REFERENCE.csv CURRENT.csv
"""

import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

FLOOR = 1e-4


def numeric_figures(reference: np.ndarray, current: np.ndarray) -> dict:
    edges = np.unique(np.quantile(reference, np.arange(1, 10) / 10))
    bins = len(edges) + 1
    p = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=bins) / len(reference)
    q = np.bincount(np.searchsorted(edges, current, side="left"), minlength=bins) / len(current)
    pf, qf = np.maximum(p, FLOOR), np.maximum(q, FLOOR)
    ks = stats.ks_2samp(reference, current)
    wasserstein = stats.wasserstein_distance(reference, current)
    std = reference.std()
    return {
        "kind": "numeric",
        "n_reference": int(len(reference)),
        "n_current": int(len(current)),
        "psi": float(np.sum((qf - pf) * np.log(qf / pf))),
        "js": float(jensenshannon(p, q, base=2)),
        "ks": {"statistic": float(ks.statistic), "p_value": float(ks.pvalue)},
        "wasserstein": float(wasserstein),
        "wasserstein_normed": float(wasserstein / std if std > 0 else wasserstein),
    }


def main() -> None:
    reference_frame = pd.read_csv(sys.argv[1])
    current_frame = pd.read_csv(sys.argv[2])
    columns = {}
    for name in reference_frame.columns:
        if name not in current_frame.columns:
            continue
        reference = reference_frame[name].to_numpy(dtype=np.float64)
        current = current_frame[name].to_numpy(dtype=np.float64)
        reference = reference[~np.isnan(reference)]
        current = current[~np.isnan(current)]
        figures = numeric_figures(reference, current)
        if len(reference) <= 1000:
            figures["drifted"] = bool(figures["ks"]["p_value"] < 0.05)
        else:
            figures["drifted"] = bool(figures["wasserstein_normed"] >= 0.1)
        columns[name] = figures
    share = sum(column["drifted"] for column in columns.values()) / len(columns)
    json.dump({"columns": columns, "drift_share": share, "drifted": share >= 0.5}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
