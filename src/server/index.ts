export { startHealthServer } from './health-server.ts';
export type { HealthServerOptions } from './health-server.ts';
