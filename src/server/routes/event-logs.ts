import { OpenAPIHono } from '@hono/zod-openapi';
import * as routes from '../api/routes/audit.ts';
import type * as Api from '../api/types.ts';
import { auditItem, listAudit } from '../../store/admin/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';

/**
 * The audit log (admin only, ROUTE_ROLES), as Airflow names it: GET /eventLogs, newest first,
 * filtered by user, action, object (and what is under it) and time, paged (its query checked by
 * the route's schema, api/schemas/audit.ts).
 */
export function eventLogRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.listEventLogs, async (c) => {
    const q = c.req.valid('query');
    const rows = await listAudit(ctx.db, {
      username: q.username,
      action: q.action,
      object: q.object,
      since: q.after?.getTime(),
      until: q.before?.getTime(),
      limit: q.limit,
      offset: q.offset,
    });
    const items: Api.EventLog[] = rows.map(auditItem);
    return c.json({ items } satisfies Api.EventLogs, 200);
  });
  return app;
}
