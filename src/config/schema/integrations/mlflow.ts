// Config section `integrations.mlflow`: MLflow model registry: follow a registered model's alias or stage and register its versions.
// Absent: the integration is off. (Skeleton: the integration's own settings are added here.)
import { Type, type Static } from "@sinclair/typebox";

export const MlflowSchema = Type.Object(
  {},
  {
    additionalProperties: false,
    description:
      "MLflow model registry: follow a registered model's alias or stage and register its versions",
  },
);

export type MlflowConfig = Static<typeof MlflowSchema>;
