// Schemas of the operational routes: health, readiness, metrics and the OpenAPI document.
import { Type } from "@sinclair/typebox";

export const HealthBody = Type.Object({ status: Type.Literal("ok") });

export const ReadinessBody = Type.Object({
  status: Type.Union([Type.Literal("ready"), Type.Literal("not ready")]),
  checks: Type.Record(Type.String(), Type.String(), {
    description: "per dependency: `ok` or why it is not ready",
  }),
});

export const MetricsText = Type.String({ description: "Prometheus text exposition format" });

export const OpenApiDocument = Type.Object(
  { openapi: Type.String(), info: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: true },
);
