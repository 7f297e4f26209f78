// Airflow REST API (2.x): POST /api/v1/dags/{dag_id}/dagRuns with dag_run_id (derived from the
// request id, so a repeated delivery is refused with 409 and counts as delivered) and the
// request as `conf`; basic auth or a bearer token.
import { storedText } from "../../../src/util/index.js";
import type { AirflowPresetConfig } from "../../../src/config/index.js";
import { retrainPayload } from "../../templates/webhook-payload.js";
import { basicAuth, basicCredentials, joinUrl, type RetrainPresetAdapter } from "./preset.js";

export function airflowDagRunId(requestId: string): string {
  return `driftwatch__${requestId}`;
}

export function airflowPreset(config: AirflowPresetConfig): RetrainPresetAdapter {
  const auth: Record<string, string> =
    config.token !== undefined
      ? { Authorization: `Bearer ${config.token}` }
      : config.username !== undefined
        ? { Authorization: basicAuth(config.username, config.password ?? "") }
        : {};
  return {
    name: "airflow",
    secrets: [
      config.token,
      config.password,
      config.username !== undefined
        ? basicCredentials(config.username, config.password ?? "")
        : undefined,
    ],
    prepare: async (request) => ({
      url: joinUrl(config.url, `api/v1/dags/${encodeURIComponent(config.dagId)}/dagRuns`),
      headers: { "Content-Type": "application/json", Accept: "application/json", ...auth },
      body: JSON.stringify({
        dag_run_id: airflowDagRunId(request.id),
        conf: retrainPayload(request),
        note: storedText(request.reason, 1000),
      }),
    }),
    acceptsAsDelivered: (response) => response.status === 409,
  };
}
