import type { Context, MiddlewareHandler } from 'hono';
import { recordAudit, type AuditAction } from '../../store/admin/index.ts';
import { toError } from '../../errors/index.ts';
import { remoteAddress } from '../auth/remote-address.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { routeActionOf, type Fields } from './route-actions.ts';

export interface AuditChangesOptions {
  /** Where the API is mounted: the routes of ROUTE_ACTIONS are below it. @default '/api/v1' */
  readonly prefix?: string;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A JSON object's fields, or none: what the audit log keeps of a body or an answer. */
function objectOf(text: string): Fields {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
  } catch {
    return {};
  }
}

/**
 * Records each change the API made (a 2xx answer to a route of ROUTE_ACTIONS) in the audit log,
 * after its handler: who, from which address, the action, its object and the body's fields (the
 * store masks their secrets). Mounted after authentication and the role check, so a refused
 * request leaves no row. The body is read again from hono's cache of what the handler read.
 * A row that cannot be written is logged; the change it describes has been made already.
 */
export function auditChanges(
  ctx: ServerContext,
  options: AuditChangesOptions = {},
): MiddlewareHandler<AppEnv> {
  const prefix = options.prefix ?? '/api/v1';
  return async (c, next) => {
    await next();
    if (READS.has(c.req.method) || c.res.status < 200 || c.res.status >= 300) return;
    const found = routeActionOf(c.req.method, c.req.path.slice(prefix.length));
    if (!found || found.action === 'read') return;
    const route = found.action;
    const body = objectOf(await c.req.text());
    if (route.changedNothing?.(body)) return;
    const answer = route.readsAnswer ? objectOf(await c.res.clone().text()) : {};
    const username = c.get('user').username;
    const action = typeof route.action === 'function' ? route.action(body) : route.action;
    await recordOrLog(ctx, c, {
      username,
      action,
      object: route.object(found.params, body, answer, username),
      fields: body,
    });
  };
}

/** One row of the audit log for request `c`: its time and address; a failure to write is logged. */
export async function recordOrLog(
  ctx: ServerContext,
  c: Context,
  entry: { username: string; action: AuditAction; object: string; fields: Fields },
): Promise<void> {
  try {
    await recordAudit(ctx.db, { ...entry, at: ctx.now(), address: remoteAddress(c) });
  } catch (error) {
    ctx.log(
      `audit log: ${entry.action} of ${entry.object} by ${entry.username} not recorded: ${toError(error).message}`,
    );
  }
}
