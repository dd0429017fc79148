/**
 * Every route of /api/v1, defined once (route-kit.ts): the server serves these and no others
 * (a test checks), the role table and the OpenAPI document are read off this list.
 */
import type { ApiRoute } from '../route-kit.ts';
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

export { auth, backfills, connections, dags, grid, pools, runs, taskInstances, users, warehouse };
export type { ApiRoute } from '../route-kit.ts';

const isRoute = (value: unknown): value is ApiRoute =>
  typeof value === 'object' && value !== null && 'x-role' in value && 'operationId' in value;

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** In path order (then method), the same wherever the modules are loaded from. */
export const API_ROUTES: readonly ApiRoute[] = [
  dags,
  runs,
  taskInstances,
  grid,
  backfills,
  pools,
  connections,
  warehouse,
  users,
  auth,
]
  .flatMap((area) => Object.values(area).filter(isRoute))
  .sort((a, b) =>
    a.path === b.path ? METHODS.indexOf(a.method) - METHODS.indexOf(b.method) : a.path < b.path ? -1 : 1,
  );

/** `METHOD /path` as the role table and the OpenAPI document write it: `GET /dags/{dag_id}`. */
export const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) =>
  `${route.method.toUpperCase()} ${route.path}`;
