"""Retraining triggered by driftwatch's retrain webhook (Airflow 2.x).

driftwatch's `airflow` retrain preset (see driftwatch-retrain.yaml next to this file) starts this
DAG through the Airflow REST API when a rule with `retrain: [...]` fires:
    POST /api/v1/dags/driftwatch_retrain/dagRuns
    {"dag_run_id": "driftwatch__<request id>", "conf": <retrain payload>, "note": "..."}
The conf is driftwatch's versioned retrain payload:
    {"version": "1", "kind": "retrain", "request_id": "...", "model": "credit-risk",
     "model_version": "3", "source": "alert", "reason": "...", "requested_at": "...",
     "requested_by": null, "alerts": [{"rule", "fingerprint", "labels", "value", "threshold",
     "active_at", "window_start", "window_end"}, ...]}
A dag_run_id is used once, so a retried delivery never starts a second run.

The DAG checks the conf, trains (replace `train` with your own job), publishes the new version in
MLflow (examples/mlflow/register_version.py: the run's reference data and training window, the
version, the `champion` alias) and finally runs the status gate. driftwatch follows the alias
(integrations.mlflow, examples/mlflow/driftwatch-mlflow.yaml) and registers the version with its
reference by itself. Without MLflow, register it directly instead:
    driftwatch reference set --model "$MODEL" --version "$NEW_VERSION" --from "$TRAIN_FROM" --to "$TRAIN_TO"
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

MODEL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def read_retrain_request(**context) -> dict:
    """Validate the retrain payload and hand the fields the next tasks need to XCom."""
    conf = context["dag_run"].conf or {}
    if conf.get("kind") != "retrain" or conf.get("version") != "1":
        raise AirflowFailException(f"not a driftwatch retrain payload (version 1): {conf!r}")
    model = conf.get("model")
    if not isinstance(model, str) or not MODEL_NAME.match(model):
        raise AirflowFailException(f"conf.model must match {MODEL_NAME.pattern}, got {model!r}")
    rules = sorted({alert.get("rule", "") for alert in conf.get("alerts", [])})
    return {
        "model": model,
        "previous_version": conf.get("model_version") or "unknown",
        "request_id": str(conf.get("request_id", "")),
        "reason": str(conf.get("reason", "")),
        "rules": ",".join(rules),
    }


with DAG(
    dag_id="driftwatch_retrain",
    description="Retrain a model when driftwatch asks for it",
    schedule=None,  # only started by driftwatch (or by hand with a conf)
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=5)},
    tags=["driftwatch", "retrain"],
) as dag:
    request = PythonOperator(task_id="read_retrain_request", python_callable=read_retrain_request)

    # Values reach the shell through the environment only (the payload is data, not code).
    request_env = {
        "MODEL": "{{ ti.xcom_pull(task_ids='read_retrain_request')['model'] }}",
        "PREVIOUS_VERSION": "{{ ti.xcom_pull(task_ids='read_retrain_request')['previous_version'] }}",
        "REQUEST_ID": "{{ ti.xcom_pull(task_ids='read_retrain_request')['request_id'] }}",
        "NEW_VERSION": "{{ ds_nodash }}-{{ ti.xcom_pull(task_ids='read_retrain_request')['request_id'][:8] }}",
        "TRAIN_FROM": "{{ macros.ds_add(ds, -7) }}T00:00:00Z",
        "TRAIN_TO": "{{ ds }}T00:00:00Z",
    }

    train = BashOperator(
        task_id="train",
        bash_command=(
            'python -m training.train --model "$MODEL" --version "$NEW_VERSION" '
            '--from "$TRAIN_FROM" --to "$TRAIN_TO" --driftwatch-request "$REQUEST_ID" '
            '--reference-out "reference-$REQUEST_ID.csv"'
        ),
        env=request_env,
        append_env=True,
    )

    # The new version goes to the MLflow registry (MLFLOW_TRACKING_URI in the worker's
    # environment) with its reference data and training window; moving the `champion` alias is
    # what driftwatch follows: it registers the version and its reference, no call needed here.
    register_in_mlflow = BashOperator(
        task_id="register_in_mlflow",
        bash_command=(
            'python "$DRIFTWATCH_EXAMPLES/mlflow/register_version.py" --registered-model "$MODEL" '
            '--reference "reference-$REQUEST_ID.csv" --train-from "$TRAIN_FROM" --train-to "$TRAIN_TO"'
        ),
        env=request_env,
        append_env=True,
    )

    # After deploying the new version (your deploy step goes here), the gate confirms it.
    gate = BashOperator(
        task_id="driftwatch_gate",
        bash_command='driftwatch status --model "$MODEL" --fail-on-drift',
        env=request_env,
        append_env=True,
    )

    request >> train >> register_in_mlflow >> gate
