import { Hono } from 'hono';
import type * as Api from '../api/types.ts';
import { deletePool, listPools, POOL_NAME, setPool } from '../../store/admin/index.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { jsonBody, onlyFields, requiredString, wholeNumber } from '../validate.ts';

const MAX_SLOTS = 1_000_000;

function description(body: Record<string, unknown>): string | undefined {
  const value = body.description;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 1000)
    throw badRequest('"description" must be text of at most 1000 characters', 'description');
  return value;
}

/** Pools, as Airflow's REST API has them: list, get, create, change slots, delete. */
export function poolRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const find = async (name: string) => {
    const [pool] = await listPools(ctx.db, name);
    if (!pool) throw notFound(`pool "${name}"`);
    return pool;
  };

  app.get('/pools', async (c) => {
    const items = await listPools(ctx.db);
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.Pool>);
  });

  app.get('/pools/:name', async (c) => c.json((await find(c.req.param('name'))) satisfies Api.Pool));

  app.post('/pools', async (c) => {
    const body = await jsonBody(c.req);
    onlyFields(body, ['name', 'slots', 'description']);
    const name = requiredString(body, 'name', 250);
    if (!POOL_NAME.test(name)) throw badRequest('"name" must be letters, digits, _ . or -', 'name');
    if (body.slots === undefined) throw badRequest('"slots" is required', 'slots');
    const slots = wholeNumber(body.slots, 'slots', { min: 0, max: MAX_SLOTS, default: 0 });
    if ((await listPools(ctx.db, name)).length > 0) throw conflict(`pool "${name}" exists: PATCH it`);
    await setPool(ctx.db, name, slots, description(body) ?? '', ctx.now());
    return c.json(await find(name), 201);
  });

  app.patch('/pools/:name', async (c) => {
    const name = c.req.param('name');
    const body = await jsonBody(c.req);
    onlyFields(body, ['name', 'slots', 'description']);
    if (body.name !== undefined && body.name !== name) throw badRequest('a pool cannot be renamed', 'name');
    const pool = await find(name);
    const slots = wholeNumber(body.slots, 'slots', { min: 0, max: MAX_SLOTS, default: pool.slots });
    await setPool(ctx.db, name, slots, description(body), ctx.now());
    return c.json(await find(name));
  });

  app.delete('/pools/:name', async (c) => {
    const name = c.req.param('name');
    if (name === 'default_pool')
      throw badRequest('default_pool cannot be deleted (set its slots instead)', 'name');
    if (!(await deletePool(ctx.db, name))) throw notFound(`pool "${name}"`);
    return c.body(null, 204);
  });

  return app;
}
