// Records a change made through the API in driftwatch.audit_log, after it succeeded. A failed
// audit write does not undo the change: it is logged at error level and counted.
import type { FastifyRequest } from "fastify";
import type { AuditEntry } from "../../audit/index.js";
import type { ApiContext } from "../context.js";

export async function recordChange(
  context: ApiContext,
  request: FastifyRequest,
  change: Omit<AuditEntry, "actor">,
): Promise<void> {
  try {
    await context.audit.record({ ...change, actor: request.actor.name });
  } catch (error) {
    context.metrics.auditFailures.inc();
    request.log.error(
      { err: error, action: change.action, target: change.target },
      "audit log write failed; the change itself was made",
    );
  }
}
