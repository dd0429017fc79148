import { Hono } from 'hono';
import type * as Api from '../api/types.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_DEFAULT_LIMIT,
  AUDIT_MAX_LIMIT,
  isAuditAction,
  listAudit,
} from '../../store/admin/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { optionalDate, wholeNumber } from '../validate.ts';

/**
 * The audit log (admin only, ROUTE_ROLES), as Airflow names it: GET /eventLogs, newest first,
 * filtered by user, action, object (and what is under it) and time, paged.
 */
export function eventLogRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/eventLogs', async (c) => {
    const q = (name: string) => {
      const value = c.req.query(name);
      return value === undefined || value === '' ? undefined : value;
    };
    const action = q('action');
    if (action !== undefined && !isAuditAction(action))
      throw badRequest(`"action" must be one of ${AUDIT_ACTIONS.join(', ')}`, 'action');
    const rows = await listAudit(ctx.db, {
      username: q('username'),
      action,
      object: q('object'),
      since: optionalDate(q('after'), 'after')?.getTime(),
      until: optionalDate(q('before'), 'before')?.getTime(),
      limit: wholeNumber(q('limit'), 'limit', { min: 1, max: AUDIT_MAX_LIMIT, default: AUDIT_DEFAULT_LIMIT }),
      offset: wholeNumber(q('offset'), 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }),
    });
    const items: Api.EventLog[] = rows.map((r) => ({
      when: new Date(r.at).toISOString(),
      username: r.username,
      address: r.address,
      action: r.action,
      object: r.object,
      fields: r.fields,
    }));
    return c.json({ items } satisfies Api.EventLogs);
  });
  return app;
}
