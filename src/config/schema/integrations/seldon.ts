// Config section `integrations.seldon`: Seldon Core v2: the per-model inference topics on Kafka.
// Absent: the integration is off. (Skeleton: the integration's own settings are added here.)
import { Type, type Static } from "@sinclair/typebox";

export const SeldonSchema = Type.Object(
  {},
  {
    additionalProperties: false,
    description: "Seldon Core v2: the per-model inference topics on Kafka",
  },
);

export type SeldonConfig = Static<typeof SeldonSchema>;
