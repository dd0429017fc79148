/** The HTTP surface: REST API (/api/v1), web UI, /metrics and /health, behind authentication. */
export { createApp } from './app.ts';
export { ensureFirstUser } from './auth/auth.ts';
export { hashPassword } from './auth/password.ts';
export {
  addUser,
  changeRole,
  MIN_PASSWORD,
  removeUser,
  resetPassword,
  UserInputError,
} from './auth/user-admin.ts';
export { prometheusMetrics } from './metrics.ts';
export { connectionAdmin } from './connection-admin.ts';
export type { ConnectionAdmin, ServerContext, WarehouseSource } from './context.ts';
export { startWebServer } from './server.ts';
export type { WebServerOptions } from './server.ts';
export { ensureWebBuild, WEB_DIST } from './web-build.ts';
export type * as Api from './api/types.ts';
