import type { MiddlewareHandler } from 'hono';
import { roleAtLeast, type Role } from '../../store/admin/index.ts';
import type { AppEnv } from '../context.ts';
import { API_ROUTES, routeKey } from '../api/routes/index.ts';
import { ApiError } from '../errors.ts';

/**
 * The role each route of /api/v1 needs (DESIGN §2), keyed by method and path as the OpenAPI
 * document writes them (`GET /dags/{dag_id}`). Read off the routes' definitions (api/routes/),
 * where each route declares its role (`x-role`): reads are the viewer's (a warehouse query and a
 * backfill's dry run only read) but for connections; changes to runs, DAGs, backfills and pools
 * are the op's; connections, users and the audit log are the admin's.
 */
export const ROUTE_ROLES: Readonly<Record<string, Role>> = Object.fromEntries(
  API_ROUTES.map((route) => [routeKey(route), route['x-role']]),
);

const TABLE = API_ROUTES.map((route) => {
  const pattern = route.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+');
  return { key: routeKey(route), method: route.method.toUpperCase(), path: new RegExp(`^${pattern}$`) };
});

/**
 * The key (`METHOD /path`, as ROUTE_ROLES has it) of the route that serves a request to
 * /api/v1`path`; undefined when none does. HEAD is GET's.
 */
export function routeKeyFor(method: string, path: string): string | undefined {
  const asked = method === 'HEAD' ? 'GET' : method;
  return TABLE.find((r) => r.method === asked && r.path.test(path))?.key;
}

/** The role a request to /api/v1`path` needs; a route missing from the table is the admin's. */
export function roleFor(method: string, path: string): Role {
  const key = routeKeyFor(method, path);
  return (key && ROUTE_ROLES[key]) || 'admin';
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
