/**
 * Every route of /api/v1, defined once (route-kit.ts): the server serves these and no others
 * (openapi.test.ts and api.test.ts check), the role table and the OpenAPI document are read off
 * this list. A route defined in an area but left out of the list is not served: the tests fail.
 */
import type { ApiRoute } from '../route-kit.ts';
import * as audit from './audit.ts';
import * as auth from './auth.ts';
import * as backfills from './backfills.ts';
import * as connections from './connections.ts';
import * as dags from './dags.ts';
import * as grid from './grid.ts';
import * as pools from './pools.ts';
import * as runs from './runs.ts';
import * as taskInstances from './task-instances.ts';
import * as users from './users.ts';
import * as warehouse from './warehouse.ts';

export { audit, auth, backfills, connections, dags, grid, pools, runs, taskInstances, users, warehouse };
export type { ApiRoute } from '../route-kit.ts';

/** In the order the document lists them (and tests walk them: some create what later ones use). */
export const API_ROUTES: readonly ApiRoute[] = [
  dags.listDags,
  dags.getDag,
  dags.patchDag,
  dags.listImportErrors,
  runs.listDagRuns,
  runs.triggerDagRun,
  runs.getDagRun,
  taskInstances.markDagRun,
  taskInstances.markTaskInstance,
  runs.clearDagRun,
  runs.clearTaskInstances,
  taskInstances.listTaskInstances,
  taskInstances.getTaskInstance,
  taskInstances.listTaskTries,
  taskInstances.getTaskLog,
  grid.getRunChecks,
  grid.listRunRejects,
  grid.getRunLedger,
  grid.getGrid,
  grid.getDagStats,
  backfills.previewBackfill,
  backfills.createBackfill,
  backfills.listBackfills,
  backfills.getBackfill,
  backfills.cancelBackfill,
  pools.listPools,
  pools.getPool,
  pools.createPool,
  pools.patchPool,
  pools.deletePool,
  connections.listConnections,
  connections.createConnection,
  connections.deleteConnection,
  warehouse.listWarehouseTables,
  warehouse.getWarehouseTableRows,
  warehouse.queryWarehouse,
  users.listUsers,
  users.createUser,
  users.patchUser,
  users.resetUserPassword,
  users.deleteUser,
  audit.listEventLogs,
  auth.getSession,
  auth.createToken,
  auth.getOpenApiDocument,
];

/** `METHOD /path` as the role table and the OpenAPI document write it: `GET /dags/{dag_id}`. */
export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) =>
  `${route.method.toUpperCase()} ${route.path}`;
