// Config section `integrations`: the systems teams already run that driftwatch plugs into. Each
// integration is one optional sub-section in its own file; absent means off.
import { Type, type Static } from "@sinclair/typebox";
import type { ConfigCheckIssue } from "../kit.js";
import { checkJoinSettings } from "./inference-mapping.js";
import { KserveSchema } from "./kserve.js";
import { checkMlflowConfig, MlflowSchema } from "./mlflow.js";
import { SeldonSchema } from "./seldon.js";

export const IntegrationsSchema = Type.Object(
  {
    mlflow: Type.Optional(MlflowSchema),
    kserve: Type.Optional(KserveSchema),
    seldon: Type.Optional(SeldonSchema),
  },
  { additionalProperties: false, default: {} },
);

export type IntegrationsConfig = Static<typeof IntegrationsSchema>;

/** Relations between fields of the integrations (each integration adds its own checks here). */
export function checkIntegrationsConfig(integrations: IntegrationsConfig): ConfigCheckIssue[] {
  const issues: ConfigCheckIssue[] = [];
  if (integrations.mlflow !== undefined) issues.push(...checkMlflowConfig(integrations.mlflow));
  const { kserve, seldon } = integrations;
  if (kserve !== undefined) issues.push(...checkJoinSettings("kserve", kserve));
  if (seldon !== undefined) {
    issues.push(...checkJoinSettings("seldon", seldon));
    if (kserve !== undefined && kserve.topic === seldon.topic) {
      issues.push({
        path: ["integrations", "seldon", "topic"],
        message: "must differ from integrations.kserve.topic (the halves are encoded differently)",
      });
    }
  }
  return issues;
}

export type { MlflowConfig } from "./mlflow.js";
export type { KserveConfig } from "./kserve.js";
export type { SeldonConfig } from "./seldon.js";
export type { InferenceMapping } from "./inference-mapping.js";
