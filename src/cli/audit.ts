// Changes made through the CLI are recorded in driftwatch.audit_log like the API's. Who: the
// `--author` given, else `cli:<OS user>`. The record is written after the change succeeded; a
// failed audit write does not undo the change (a warning on stderr says so).
import { userInfo } from "node:os";
import { AuditLog, type AuditEntry } from "../audit/index.js";
import type { SqlEngine } from "../store/index.js";

/** The actor of a CLI change: the author named, else the OS user as `cli:<user>`. */
export function cliActor(author?: string): string {
  const named = author?.trim();
  if (named !== undefined && named !== "") return named;
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (containers with arbitrary uids): the actor stays cli:unknown.
  }
  return `cli:${user}`;
}

export async function recordCliChange(
  engine: SqlEngine,
  database: string,
  change: Omit<AuditEntry, "actor">,
  author?: string,
): Promise<void> {
  try {
    await new AuditLog(engine, database).record({ ...change, actor: cliActor(author) });
  } catch (error) {
    process.stderr.write(
      `warning: the change was made but could not be recorded in the audit log: ${(error as Error).message}\n`,
    );
  }
}
