// Config section `integrations.kserve`: KServe inference logger: CloudEvents POSTed to /api/v1/ingest/cloudevents.
// Absent: the integration is off. (Skeleton: the integration's own settings are added here.)
import { Type, type Static } from "@sinclair/typebox";

export const KserveSchema = Type.Object(
  {},
  {
    additionalProperties: false,
    description: "KServe inference logger: CloudEvents POSTed to /api/v1/ingest/cloudevents",
  },
);

export type KserveConfig = Static<typeof KserveSchema>;
