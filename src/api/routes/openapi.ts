// GET /openapi.json: the OpenAPI 3 document generated from every route's schemas.
import type { FastifyInstance } from "fastify";
import { OpenApiDocument } from "../schemas/health.js";

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(
    "/openapi.json",
    {
      config: { access: "public" },
      schema: {
        tags: ["health"],
        summary: "This OpenAPI 3.0 document",
        response: { 200: { ...OpenApiDocument, description: "the OpenAPI document" } },
      },
    },
    async () => app.swagger(),
  );
}
