import { Hono } from 'hono';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { jsonBody, onlyFields, requiredString } from '../validate.ts';

const ID = /^[A-Za-z0-9_.-]{1,250}$/;

/** Connections: list (masked), add, delete. A secret goes in and never comes back out. */
export function connectionRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/connections', async (c) => {
    const items = await ctx.connections.list();
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Connection>);
  });

  app.post('/connections', async (c) => {
    const body = await jsonBody(c.req);
    onlyFields(body, ['connection_id', 'uri']);
    const id = requiredString(body, 'connection_id', 250);
    if (!ID.test(id)) throw badRequest('"connection_id" must be letters, digits, _ . or -', 'connection_id');
    const uri = requiredString(body, 'uri', 4000);
    if (!/^[a-z][a-z0-9+.-]*:/i.test(uri))
      throw badRequest(
        '"uri" must be a URI with a scheme, e.g. s3://bucket/prefix or postgres://host/db',
        'uri',
      );
    await ctx.connections.add(id, uri);
    const saved = (await ctx.connections.list()).find((x) => x.connection_id === id && x.source === 'stored');
    return c.json(saved, 201);
  });

  app.delete('/connections/:connection_id', async (c) => {
    const id = c.req.param('connection_id');
    if (!(await ctx.connections.delete(id))) throw notFound(`stored connection "${id}"`);
    return c.body(null, 204);
  });

  return app;
}
