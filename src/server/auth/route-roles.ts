import type { MiddlewareHandler } from 'hono';
import { roleAtLeast, type Role } from '../../store/admin/index.ts';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../errors.ts';

/**
 * The role each route of /api/v1 needs (DESIGN §2), keyed by method and path as the OpenAPI
 * document writes them; a test checks that the two list the same routes. Reads are the viewer's
 * (a warehouse query and a backfill's dry run only read) but for connections; changes to runs,
 * DAGs, backfills and pools are the op's; connections, users and the audit log are the admin's.
 */
export const ROUTE_ROLES: Readonly<Record<string, Role>> = {
  'GET /dags': 'viewer',
  'GET /dags/{dag_id}': 'viewer',
  'PATCH /dags/{dag_id}': 'op',
  'GET /importErrors': 'viewer',
  'GET /dags/{dag_id}/dagRuns': 'viewer',
  'POST /dags/{dag_id}/dagRuns': 'op',
  'GET /dags/{dag_id}/dagRuns/{run_id}': 'viewer',
  'PATCH /dags/{dag_id}/dagRuns/{run_id}': 'op',
  'PATCH /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}': 'op',
  'POST /dags/{dag_id}/dagRuns/{run_id}/clear': 'op',
  'POST /dags/{dag_id}/clearTaskInstances': 'op',
  'GET /dags/{dag_id}/dagRuns/{run_id}/taskInstances': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try}': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/checks': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/rejects': 'viewer',
  'GET /dags/{dag_id}/dagRuns/{run_id}/ledger': 'viewer',
  'GET /dags/{dag_id}/grid': 'viewer',
  'GET /dags/{dag_id}/stats': 'viewer',
  'POST /backfills/dry_run': 'viewer',
  'POST /backfills': 'op',
  'GET /backfills': 'viewer',
  'GET /backfills/{id}': 'viewer',
  'POST /backfills/{id}/cancel': 'op',
  'GET /pools': 'viewer',
  'GET /pools/{name}': 'viewer',
  'POST /pools': 'op',
  'PATCH /pools/{name}': 'op',
  'DELETE /pools/{name}': 'op',
  'GET /connections': 'admin',
  'POST /connections': 'admin',
  'DELETE /connections/{connection_id}': 'admin',
  'GET /warehouse/tables': 'viewer',
  'GET /warehouse/tables/{name}/rows': 'viewer',
  'POST /warehouse/query': 'viewer',
  'GET /users': 'admin',
  'POST /users': 'admin',
  'PATCH /users/{username}': 'admin',
  'DELETE /users/{username}': 'admin',
  'POST /users/{username}/password': 'admin',
  'GET /eventLogs': 'admin',
  'GET /auth/session': 'viewer',
  'POST /auth/tokens': 'viewer',
  'GET /openapi.json': 'viewer',
};

const TABLE = Object.entries(ROUTE_ROLES).map(([key, role]) => {
  const [method, path = ''] = key.split(' ');
  const pattern = path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
  return { method, path: new RegExp(`^${pattern}$`), role };
});

/** The role a request to /api/v1`path` needs; a route missing from the table is the admin's. */
export function roleFor(method: string, path: string): Role {
  const asked = method === 'HEAD' ? 'GET' : method;
  return TABLE.find((r) => r.method === asked && r.path.test(path))?.role ?? 'admin';
}

const article = (role: Role) => (role === 'admin' ? 'an' : 'a');

/** Refuses with 403, naming the role needed and the caller's, a request its role does not allow. */
export function requireRole(prefix: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get('user');
    const needed = roleFor(c.req.method, c.req.path.slice(prefix.length));
    if (!roleAtLeast(user.role, needed)) {
      const what = `${c.req.method} ${c.req.path.slice(prefix.length)}`;
      const via = user.via === 'bearer' ? `'s token` : '';
      throw new ApiError(
        403,
        'forbidden',
        `${what} needs the ${needed} role; ${user.username}${via} is ${article(user.role)} ${user.role}`,
      );
    }
    await next();
  };
}
