// The roles `serve --role` accepts and which of them this build implements. `all` runs every
// implemented role; naming one that is not implemented yet is an error that says so.
import { startApiRole } from "./api-role.js";
import { startIngestRole } from "./ingest-role.js";
import { startMonitorRole } from "./monitor-role.js";
import type { RoleStarter } from "./role.js";

export const ROLE_NAMES = ["ingest", "monitor", "api"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type RoleChoice = RoleName | "all";

const IMPLEMENTED: Partial<Record<RoleName, RoleStarter>> = {
  ingest: startIngestRole,
  monitor: startMonitorRole,
  api: startApiRole,
};

export interface ResolvedRole {
  readonly name: RoleName;
  readonly start: RoleStarter;
}

/** The roles to start for `--role`, or an error message. */
export function resolveRoles(choice: string): ResolvedRole[] | string {
  if (choice === "all") {
    return ROLE_NAMES.flatMap((name) => {
      const start = IMPLEMENTED[name];
      return start === undefined ? [] : [{ name, start }];
    });
  }
  if (!(ROLE_NAMES as readonly string[]).includes(choice)) {
    return `unknown role ${JSON.stringify(choice)}: expected one of ${[...ROLE_NAMES, "all"].join(", ")}`;
  }
  const name = choice as RoleName;
  const start = IMPLEMENTED[name];
  if (start === undefined) return `role ${name} is not implemented yet (use --role ingest or all)`;
  return [{ name, start }];
}
