// The query of GET /api/v1/alerts: `state`, a comma-separated list of alert states. The pattern
// names every state the alerts module knows, so the OpenAPI document carries the same enum the
// server enforces and an empty list (`state=`, `state=,`) is a 400, never an empty SQL `IN ()`.
import { Type, type Static } from "@sinclair/typebox";
import { ALERT_STATES } from "../../../alerts/index.js";
import { hintedPattern } from "./common.js";

const STATE = `(${ALERT_STATES.join("|")})`;

/** Longest `state` value accepted: every state once, with room for spaces. */
export const MAX_ALERT_STATE_QUERY_CHARS = 200;

export const AlertStatesQuery = Type.Object(
  {
    state: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_ALERT_STATE_QUERY_CHARS,
        pattern: hintedPattern(
          `^ *${STATE} *(, *${STATE} *)*$`,
          `must be a comma-separated list of ${ALERT_STATES.join(", ")}`,
        ),
        description: `comma-separated states among ${ALERT_STATES.join(", ")}; default pending,firing`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type AlertStatesQueryType = Static<typeof AlertStatesQuery>;

/** The states of a validated `state` value, each once, in the order given. */
export function alertStatesOf(state: string | undefined): string[] | undefined {
  if (state === undefined) return undefined;
  return [...new Set(state.split(",").map((name) => name.trim()))];
}
