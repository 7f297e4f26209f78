#!/usr/bin/env python3
"""NannyML's CBPE on the model files of `npm run bench:check` (bench/check_model_data.ts).

Usage: check_nannyml.py REFERENCE.csv CURRENT.csv CHUNK_SIZE

Reads both CSVs with pandas, fits CBPE (binary: score, prediction, label; ROC AUC, accuracy,
precision, recall, F1) on the reference and estimates the current file in chunks of CHUNK_SIZE
rows, as `driftwatch check --task binary --chunk-size CHUNK_SIZE` does. Prints one JSON line:
the seconds spent reading, fitting and estimating, and per chunk the estimated values and
alerts (for comparison with driftwatch's).
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # no usage analytics calls home
warnings.simplefilter("ignore")

import nannyml as nml  # noqa: E402
import pandas as pd  # noqa: E402

METRICS = ["roc_auc", "accuracy", "precision", "recall", "f1"]


def main() -> None:
    reference_path, current_path, chunk_size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    started = time.perf_counter()
    reference = pd.read_csv(reference_path)
    current = pd.read_csv(current_path)
    read = time.perf_counter()
    estimator = nml.CBPE(
        y_pred_proba="score",
        y_pred="prediction",
        y_true="label",
        problem_type="classification_binary",
        metrics=METRICS,
        chunk_size=chunk_size,
    )
    estimator.fit(reference)
    fitted = time.perf_counter()
    results = estimator.estimate(current).filter(period="analysis").to_df()
    estimated = time.perf_counter()
    chunks = {
        metric: {
            "value": [float(v) for v in results[(metric, "value")]],
            "alert": [bool(v) for v in results[(metric, "alert")]],
        }
        for metric in METRICS
    }
    print(
        json.dumps(
            {
                "read_s": read - started,
                "fit_s": fitted - read,
                "estimate_s": estimated - fitted,
                "chunks": chunks,
            }
        )
    )


if __name__ == "__main__":
    main()
