// Jenkins: POST /job/{name}/buildWithParameters (folders: /job/a/job/b) with form parameters
// MODEL, MODEL_VERSION, REASON, DRIFTWATCH_REQUEST_ID, DRIFTWATCH_PAYLOAD plus configured ones;
// user:API-token basic auth; with `crumb: true` a CSRF crumb (and its session cookie) first.
import type { JenkinsPresetConfig } from "../../../src/config/index.js";
import { retrainPayload } from "../../templates/webhook-payload.js";
import { statusResult, transportFailure } from "../http.js";
import { createRedactor } from "../redact.js";
import { failure } from "../types.js";
import { basicAuth, basicCredentials, joinUrl, type RetrainPresetAdapter } from "./preset.js";

export function jenkinsJobPath(job: string): string {
  return job
    .split("/")
    .filter((part) => part !== "")
    .map((part) => `job/${encodeURIComponent(part)}`)
    .join("/");
}

export function jenkinsPreset(config: JenkinsPresetConfig): RetrainPresetAdapter {
  const auth: Record<string, string> =
    config.username !== undefined
      ? { Authorization: basicAuth(config.username, config.token ?? "") }
      : {};
  const secrets = [
    config.token,
    config.username !== undefined
      ? basicCredentials(config.username, config.token ?? "")
      : undefined,
  ];
  const redact = createRedactor(secrets);
  return {
    name: "jenkins",
    secrets,
    async prepare(request, context) {
      const headers: Record<string, string> = {
        ...auth,
        "Content-Type": "application/x-www-form-urlencoded",
      };
      if (config.crumb) {
        try {
          const response = await context.http(
            {
              url: joinUrl(config.url, "crumbIssuer/api/json"),
              method: "GET",
              headers: { ...auth, Accept: "application/json" },
            },
            { signal: context.signal, timeoutMs: context.timeoutMs },
          );
          const result = statusResult(response, context.now, redact);
          if (!result.ok) return { ...result, error: `crumb: ${result.error}` };
          const crumb = JSON.parse(response.body) as {
            crumb?: unknown;
            crumbRequestField?: unknown;
          };
          if (typeof crumb.crumb !== "string" || typeof crumb.crumbRequestField !== "string") {
            return failure("client_error", false, "crumb: unexpected crumbIssuer answer");
          }
          headers[crumb.crumbRequestField] = crumb.crumb;
          const cookie = response.headers.get("set-cookie");
          if (cookie !== null) headers.Cookie = cookie.split(";")[0]!;
        } catch (error) {
          if (error instanceof SyntaxError)
            return failure("client_error", false, "crumb: answer is not JSON");
          return transportFailure(error, redact);
        }
      }
      const form = new URLSearchParams({
        ...config.parameters,
        MODEL: request.model,
        MODEL_VERSION: request.modelVersion ?? "",
        REASON: request.reason,
        DRIFTWATCH_REQUEST_ID: request.id,
        DRIFTWATCH_PAYLOAD: JSON.stringify(retrainPayload(request)),
      });
      return {
        url: joinUrl(config.url, `${jenkinsJobPath(config.job)}/buildWithParameters`),
        headers,
        body: form.toString(),
      };
    },
  };
}
