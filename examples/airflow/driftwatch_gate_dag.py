"""Batch scoring guarded by driftwatch's status gate (Airflow 2.x).

The first task runs `driftwatch status --model credit-risk --fail-on-drift`, which exits
  0  the model is fine (or has no verdict yet)  -> scoring goes ahead
  1  the model is drifting or degraded           -> the task fails, scoring does not run
  2  driftwatch could not answer (bad flags, ClickHouse unreachable) -> the task fails too
so a drifted model never scores a batch unnoticed. The workers need the driftwatch CLI
(`npm install -g driftwatch` or the docker image) and DRIFTWATCH_CLICKHOUSE_URL pointing at the
ClickHouse driftwatch writes to (set it as an Airflow variable or in the workers' environment).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

MODEL = "credit-risk"

with DAG(
    dag_id="credit_risk_batch_scoring",
    description="Score the daily batch only while driftwatch reports the model healthy",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 0, "execution_timeout": timedelta(minutes=10)},
    tags=["driftwatch", MODEL],
) as dag:
    drift_gate = BashOperator(
        task_id="driftwatch_gate",
        # MODEL comes from the environment, never spliced into the shell text.
        bash_command='driftwatch status --model "$MODEL" --fail-on-drift',
        env={"MODEL": MODEL},
        append_env=True,
    )

    score_batch = BashOperator(
        task_id="score_batch",
        bash_command='python -m scoring.batch --model "$MODEL" --date "$RUN_DATE"',
        env={"MODEL": MODEL, "RUN_DATE": "{{ ds }}"},
        append_env=True,
    )

    drift_gate >> score_batch
