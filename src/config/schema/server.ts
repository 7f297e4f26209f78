// Config section `server`: the HTTP listener (API, /metrics, health).
import { Type, type Static } from "@sinclair/typebox";
import { PositiveInteger, SECTION } from "./helpers.js";

export const ServerSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65_535, default: 8080 }),
    host: Type.String({ minLength: 1, default: "0.0.0.0" }),
    bodyLimitBytes: PositiveInteger(1_048_576),
  },
  SECTION,
);

export type ServerConfig = Static<typeof ServerSchema>;
