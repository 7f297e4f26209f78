// GitHub repository_dispatch: POST /repos/{owner}/{repo}/dispatches with event_type and the
// retrain request as client_payload (≤ 10 top-level keys), Bearer token. Answers 204.
import type { GithubPresetConfig } from "../../../src/config/index.js";
import { retrainPayload } from "../../templates/webhook-payload.js";
import { joinUrl, type RetrainPresetAdapter } from "./preset.js";

export function githubPreset(config: GithubPresetConfig): RetrainPresetAdapter {
  return {
    name: "github",
    secrets: [config.token],
    prepare: async (request) => ({
      url: joinUrl(config.url, `repos/${config.repository}/dispatches`),
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${config.token}`,
        "X-GitHub-Api-Version": "2022-11-28",
        "Content-Type": "application/json",
        "User-Agent": "driftwatch",
      },
      body: JSON.stringify({
        event_type: config.eventType,
        client_payload: retrainPayload(request),
      }),
    }),
  };
}
