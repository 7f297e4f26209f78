// Kubeflow Pipelines (v2beta1 API): POST /apis/v2beta1/runs creating a run of the configured
// pipeline (version), with the request's model, version, reason and id as runtime parameters.
import { storedText } from "../../../src/util/index.js";
import type { KubeflowPresetConfig } from "../../../src/config/index.js";
import { joinUrl, type RetrainPresetAdapter } from "./preset.js";

export function kubeflowPreset(config: KubeflowPresetConfig): RetrainPresetAdapter {
  return {
    name: "kubeflow",
    secrets: [config.token],
    prepare: async (request) => ({
      url: joinUrl(config.url, "apis/v2beta1/runs"),
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(config.token !== undefined ? { Authorization: `Bearer ${config.token}` } : {}),
      },
      body: JSON.stringify({
        display_name: `driftwatch-retrain-${request.model}-${request.id.slice(0, 8)}`,
        description: storedText(request.reason, 1000),
        pipeline_version_reference: {
          pipeline_id: config.pipelineId,
          ...(config.pipelineVersionId !== undefined
            ? { pipeline_version_id: config.pipelineVersionId }
            : {}),
        },
        runtime_config: {
          parameters: {
            ...config.parameters,
            model: request.model,
            model_version: request.modelVersion ?? "",
            reason: request.reason,
            request_id: request.id,
          },
        },
        ...(config.experimentId !== undefined ? { experiment_id: config.experimentId } : {}),
      }),
    }),
  };
}
