"""The numpy/scipy baseline of `npm run bench:check`: reads the same two CSV files with pandas'
vectorised C reader and computes the same per-column statistics as `driftwatch check --json`
(DESIGN's definitions), then applies the same default drift rule (bench/check_rule.py). Prints
the JSON document, with "read_s" and "compute_s" (where its time went).

usage: python3 bench/check_scipy.py REFERENCE.csv CURRENT.csv
"""


import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

from check_rule import run

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


if __name__ == "__main__":
    run(numeric_figures)
