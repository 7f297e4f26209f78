// Public surface of the audit module: the writer/reader of driftwatch.audit_log.
export {
  AUDIT_ACTIONS,
  AuditLog,
  type AuditAction,
  type AuditEntry,
  type AuditRecord,
} from "./audit-log.js";
