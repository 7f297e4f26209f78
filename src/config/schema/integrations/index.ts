// Config section `integrations`: the systems teams already run that driftwatch plugs into. Each
// integration is one optional sub-section in its own file; absent means off.
import { Type, type Static } from "@sinclair/typebox";
import type { ConfigCheckIssue } from "../kit.js";
import { KserveSchema } from "./kserve.js";
import { MlflowSchema } from "./mlflow.js";
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
export function checkIntegrationsConfig(_integrations: IntegrationsConfig): ConfigCheckIssue[] {
  return [];
}

export type { MlflowConfig } from "./mlflow.js";
export type { KserveConfig } from "./kserve.js";
export type { SeldonConfig } from "./seldon.js";
