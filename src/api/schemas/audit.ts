// Schemas of GET /api/v1/audit: entries of driftwatch.audit_log, newest first.
import { Type, type Static } from "@sinclair/typebox";
import { IsoTime } from "./common.js";
import { timeText } from "./times.js";

export const MAX_AUDIT_ROWS = 10_000;

export const AuditQuery = Type.Object(
  {
    target: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description: "a model (with its versions) or a silence id",
      }),
    ),
    from: Type.Optional(timeText("entries at or after; default to−30d")),
    to: Type.Optional(timeText("entries before (after from); default now")),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_ROWS, default: 1_000 })),
  },
  { additionalProperties: false },
);
export type AuditQueryType = Static<typeof AuditQuery>;

export const AuditEntryBody = Type.Object({
  at: IsoTime,
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const AuditListBody = Type.Object({ entries: Type.Array(AuditEntryBody) });
