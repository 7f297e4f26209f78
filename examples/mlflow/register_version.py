"""The last step of a retraining pipeline: publish the new model version in MLflow.

It logs the training run's reference data and training window, registers the model version and
moves the alias driftwatch follows (default `champion`). driftwatch (integrations.mlflow, see
driftwatch-mlflow.yaml next to this file) sees the alias move, by webhook or by polling, and
registers the version with its reference: no call to driftwatch's API is needed.

    MLFLOW_TRACKING_URI=http://127.0.0.1:5000 python register_version.py \
        --registered-model credit-risk --reference train.csv \
        --train-from 2026-11-01T00:00:00Z --train-to 2026-11-08T00:00:00Z

Basic auth: MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD, as for any MLflow client.
Prints the new version number on stdout.
"""

from __future__ import annotations

import argparse
import os
import sys

import mlflow
from mlflow import MlflowClient


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registered-model", required=True)
    parser.add_argument("--alias", default="champion")
    parser.add_argument("--reference", required=True, help="CSV or Parquet of the training data")
    parser.add_argument("--train-from", required=True, help="RFC 3339 start of the training window")
    parser.add_argument("--train-to", required=True, help="RFC 3339 end of the training window")
    parser.add_argument("--experiment", default="driftwatch-retrain")
    args = parser.parse_args()

    mlflow.set_experiment(args.experiment)
    with mlflow.start_run() as run:
        # Your training job logs its model here (mlflow.sklearn.log_model, ...).
        mlflow.log_param("train_start", args.train_from)
        mlflow.log_param("train_end", args.train_to)
        # driftwatch reads it back through MLflow's artifact API (integrations.mlflow
        # models[].reference.artifactPath: reference/<file name>).
        mlflow.log_artifact(args.reference, artifact_path="reference")

    client = MlflowClient()
    try:
        client.get_registered_model(args.registered_model)
    except mlflow.exceptions.MlflowException:
        client.create_registered_model(args.registered_model)
    version = client.create_model_version(
        args.registered_model,
        source=f"runs:/{run.info.run_id}/model",
        run_id=run.info.run_id,
        description=f"reference: reference/{os.path.basename(args.reference)}",
    )
    # Deploy the version here; then point the alias at it: driftwatch follows the alias.
    client.set_registered_model_alias(args.registered_model, args.alias, version.version)
    print(version.version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
