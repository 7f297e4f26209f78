"""Evidently's data drift report on the benchmark files, for `npm run bench:check`: reads both
CSV files with pandas and runs the DataDriftPreset (Evidently's own default tests per column).
Supports the current API (evidently >= 0.7: `from evidently import Report`) and the legacy one.
Prints one JSON line: the number of columns and how many Evidently calls drifted.

usage: python bench/check_evidently.py REFERENCE.csv CURRENT.csv
"""

import json
import sys

import pandas as pd


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


def main():
    reference = pd.read_csv(sys.argv[1])
    current = pd.read_csv(sys.argv[2])
    result = run_report(reference, current)
    text = json.dumps(result, default=str)
    print(json.dumps({"columns": len(reference.columns), "result_bytes": len(text)}))


if __name__ == "__main__":
    main()
