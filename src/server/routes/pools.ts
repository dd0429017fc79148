import { OpenAPIHono } from '@hono/zod-openapi';
import type * as Api from '../api/types.ts';
import * as routes from '../api/routes/pools.ts';
import { deletePool, listPools, setPool } from '../../store/admin/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';

/** Pools, as Airflow's REST API has them: list, get, create, change slots, delete. */
export function poolRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const find = async (name: string) => {
    const [pool] = await listPools(ctx.db, name);
    if (!pool) throw notFound(`pool "${name}"`);
    return pool;
  };

  app.openapi(routes.listPools, async (c) => {
    const items = await listPools(ctx.db);
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Pool>, 200);
  });

  app.openapi(routes.getPool, async (c) =>
    c.json((await find(c.req.valid('param').name)) satisfies Api.Pool, 200),
  );

  app.openapi(routes.createPool, async (c) => {
    const { name, slots, description } = c.req.valid('json');
    if ((await listPools(ctx.db, name)).length > 0) throw conflict(`pool "${name}" exists: PATCH it`);
    await setPool(ctx.db, name, slots, description ?? '', ctx.now());
    return c.json(await find(name), 201);
  });

  app.openapi(routes.patchPool, async (c) => {
    const { name } = c.req.valid('param');
    const body = c.req.valid('json');
    if (body.name !== undefined && body.name !== name) throw badRequest('a pool cannot be renamed', 'name');
    const pool = await find(name);
    await setPool(ctx.db, name, body.slots ?? pool.slots, body.description, ctx.now());
    return c.json(await find(name), 200);
  });

  app.openapi(routes.deletePool, async (c) => {
    const { name } = c.req.valid('param');
    if (name === 'default_pool')
      throw badRequest('default_pool cannot be deleted (set its slots instead)', 'name');
    if (!(await deletePool(ctx.db, name))) throw notFound(`pool "${name}"`);
    return c.body(null, 204);
  });

  return app;
}
