// The API's roles and what each route needs: read < write < admin.
import type { ApiRole } from "../../config/index.js";

export type { ApiRole };

const RANK: Readonly<Record<ApiRole, number>> = { read: 1, write: 2, admin: 3 };

/** Whether `held` is at least `needed`. */
export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return RANK[held] >= RANK[needed];
}
