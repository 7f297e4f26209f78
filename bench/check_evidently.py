"""Evidently's data drift report on the benchmark files, for `npm run bench:check`: reads both
CSV files with pandas and runs the DataDriftPreset (Evidently's own default tests per column).
Supports the current API (evidently >= 0.7: `from evidently import Report`) and the legacy one.
Prints one JSON line: "read_s" (pandas) and "compute_s" (the report, to its dict) apart, and its
figures in check's names where its method is one check prints too (per column its drift score
under the matching name, e.g. wasserstein_normed, and drifted; the share of drifted columns).

usage: python bench/check_evidently.py REFERENCE.csv CURRENT.csv
"""

import json
import sys
import time

import pandas as pd

# Evidently's method names -> (check's figure path, whether lower means drift).
METHODS = {
    "Wasserstein distance (normed)": (("wasserstein_normed",), False),
    "Jensen-Shannon distance": (("js",), False),
    "PSI": (("psi",), False),
    "K-S p_value": (("ks", "p_value"), True),
}


def run_report(reference, current):
    try:
        from evidently import Report
        from evidently.presets import DataDriftPreset

        snapshot = Report([DataDriftPreset()]).run(current_data=current, reference_data=reference)
        return snapshot.dict()
    except ImportError:
        from evidently.metric_preset import DataDriftPreset
        from evidently.report import Report

        report = Report(metrics=[DataDriftPreset()])
        report.run(reference_data=reference, current_data=current)
        return report.as_dict()


def figures_of(result: dict) -> dict:
    """check's document shape from the current API's metrics (empty for the legacy API)."""
    columns, share = {}, None
    for metric in result.get("metrics", []):
        config = metric.get("config", {})
        kind = config.get("type", "")
        if kind.endswith("DriftedColumnsCount"):
            share = float(metric["value"]["share"])
        elif kind.endswith("ValueDrift"):
            value, threshold = float(metric["value"]), float(config["threshold"])
            path, lower_drifts = METHODS.get(config["method"], ((), False))
            column = {"drifted": bool(value < threshold if lower_drifts else value >= threshold)}
            target = column
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if path:
                target[path[-1]] = value
            columns[config["column"]] = column
    document = {"columns": columns}
    if share is not None:
        document.update(drift_share=share, drifted=bool(share >= 0.5))
    return document


def main():
    began = time.perf_counter()
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    read_done = time.perf_counter()
    result = run_report(reference, current)
    text = json.dumps(result, default=str)
    compute_s = time.perf_counter() - read_done
    document = figures_of(result)
    document.update(
        read_s=read_done - began,
        compute_s=compute_s,
        result_bytes=len(text),
        evidently_columns=len(reference.columns),
    )
    print(json.dumps(document))


if __name__ == "__main__":
    main()
