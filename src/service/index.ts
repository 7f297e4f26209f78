// Public surface of the service runtime used by `driftwatch serve`.
export { startService, type Service, type ServiceOptions } from "./service.js";
export {
  resolveRoles,
  ROLE_NAMES,
  type RoleChoice,
  type RoleName,
  type ResolvedRole,
} from "./roles.js";
export { onShutdownSignals, type ShutdownSignal } from "./signals.js";
export { ingesterSettings } from "./ingest-role.js";
export type { RoleStarter, RunningRole, ServiceContext } from "./role.js";
