// Public surface of the HTTP API: the app builder (tests inject into it), the server, the
// dependencies it takes and the error catalogue.
export { buildApp, API_VERSION } from "./app.js";
export { startApiServer, type ApiServer } from "./server.js";
export {
  assertServerStartable,
  nodeServerOptions,
  readTlsCredentials,
  type TlsCredentials,
} from "./listener.js";
export type { ApiDependencies, AsyncReadinessCheck } from "./context.js";
export { API_ERRORS, ApiError, type ApiErrorCode } from "./error-codes.js";
export { ANONYMOUS, type RequestActor, type RouteAccess } from "./auth/auth-hook.js";
export { publicReadinessReason, readinessChangeLogger } from "./readiness.js";
