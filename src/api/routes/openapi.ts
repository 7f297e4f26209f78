// GET /openapi.json: the OpenAPI 3 document generated from every route's schemas.
import type { FastifyInstance } from "fastify";
import { OpenApiDocument } from "../schemas/health.js";

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(
    "/openapi.json",
    {
      config: { access: "public" },
      schema: { hide: true, response: { 200: OpenApiDocument } },
    },
    async () => app.swagger(),
  );
}
