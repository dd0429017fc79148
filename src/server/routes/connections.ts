import { OpenAPIHono } from '@hono/zod-openapi';
import * as routes from '../api/routes/connections.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { notFound } from '../errors.ts';

/** Connections: list (masked), add, delete. A secret goes in and never comes back out. */
export function connectionRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.listConnections, async (c) => {
    const items = await ctx.connections.list();
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Connection>, 200);
  });

  app.openapi(routes.createConnection, async (c) => {
    const { connection_id: id, uri } = c.req.valid('json');
    await ctx.connections.add(id, uri);
    const saved = (await ctx.connections.list()).find((x) => x.connection_id === id && x.source === 'stored');
    if (!saved) throw new Error(`connection "${id}" was added but is not listed as stored`);
    return c.json(saved, 201);
  });

  app.openapi(routes.deleteConnection, async (c) => {
    const id = c.req.valid('param').connection_id;
    if (!(await ctx.connections.delete(id))) throw notFound(`stored connection "${id}"`);
    return c.body(null, 204);
  });

  return app;
}
