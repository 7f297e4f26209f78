"""The strongest numpy rival of `npm run bench:check`: pandas' C reader, then ONE sort per column
and file; the bins, KS (statistic and p-value), Wasserstein and PSI/JS are all derived from the
two sorted arrays (the merge of two sorted runs is linear with numpy's stable sort), where
bench/check_scipy.py calls scipy's functions, each of which sorts again. Same definitions
(DESIGN), same JSON document; "read_s" and "compute_s" say where its time went.

usage: python bench/check_numpy_sorted.py REFERENCE.csv CURRENT.csv
"""


import numpy as np
from scipy.stats import kstwo

from check_rule import run

FLOOR = 1e-4
EXACT_KS_LIMIT = 10000


def quantiles_sorted(values: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """numpy's linear-interpolation quantiles, read off an already sorted array."""
    position = (len(values) - 1) * levels
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, len(values) - 1)
    return values[below] + (position - below) * (values[above] - values[below])


def proportions(sorted_values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share per bin, a value's bin = number of edges strictly below it."""
    at_or_below = np.searchsorted(sorted_values, edges, side="right")
    return np.diff(np.concatenate(([0], at_or_below, [len(sorted_values)]))) / len(sorted_values)


def jensen_shannon(p: np.ndarray, q: np.ndarray) -> float:
    middle = (p + q) / 2

    def divergence(a: np.ndarray) -> float:
        present = a > 0
        return float(np.sum(a[present] * np.log2(a[present] / middle[present])))

    return float(np.sqrt(max((divergence(p) + divergence(q)) / 2, 0.0)))


def ks_and_wasserstein(reference: np.ndarray, current: np.ndarray):
    """Both empirical CDFs at every value of the merged sorted arrays."""
    n, m = len(reference), len(current)
    merged = np.concatenate((reference, current))
    order = np.argsort(merged, kind="stable")  # two sorted runs: a linear merge
    values = merged[order]
    reference_cdf = np.cumsum(order < n) / n
    current_cdf = (np.arange(1, n + m + 1) - np.cumsum(order < n)) / m
    gaps = np.abs(reference_cdf - current_cdf)
    wasserstein = float(np.sum(gaps[:-1] * np.diff(values)))
    # The CDFs are only defined after the last of equal values.
    last_of_value = np.append(values[1:] != values[:-1], True)
    statistic = float(np.max(gaps[last_of_value]))
    return statistic, wasserstein


def ks_p_value(statistic: float, n: int, m: int, reference, current) -> float:
    if max(n, m) <= EXACT_KS_LIMIT:
        from scipy.stats import ks_2samp  # scipy's exact path, as DESIGN asks below 10,000

        return float(ks_2samp(reference, current).pvalue)
    large, small = sorted((float(n), float(m)), reverse=True)
    return float(kstwo.sf(statistic, np.round(large * small / (large + small))))


def numeric_figures(reference: np.ndarray, current: np.ndarray) -> dict:
    reference = np.sort(reference)
    current = np.sort(current)
    edges = np.unique(quantiles_sorted(reference, np.arange(1, 10) / 10))
    p, q = proportions(reference, edges), proportions(current, edges)
    pf, qf = np.maximum(p, FLOOR), np.maximum(q, FLOOR)
    statistic, wasserstein = ks_and_wasserstein(reference, current)
    std = reference.std()
    return {
        "kind": "numeric",
        "n_reference": int(len(reference)),
        "n_current": int(len(current)),
        "psi": float(np.sum((qf - pf) * np.log(qf / pf))),
        "js": jensen_shannon(p, q),
        "ks": {
            "statistic": statistic,
            "p_value": ks_p_value(statistic, len(reference), len(current), reference, current),
        },
        "wasserstein": wasserstein,
        "wasserstein_normed": float(wasserstein / std if std > 0 else wasserstein),
    }


if __name__ == "__main__":
    run(numeric_figures)
