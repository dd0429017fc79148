import { Hono } from 'hono';
import type * as Api from '../api/types.ts';
import { LastAdminError, listUsers } from '../../store/admin/index.ts';
import { addUser, changeRole, removeUser, resetPassword, UserInputError } from '../auth/user-admin.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';
import { jsonBody, onlyFields } from '../validate.ts';

/** The store's and the checks' refusals as API errors: 400 naming the field, 409 for the last admin. */
async function answering<T>(work: () => Promise<T>, lastAdminField?: 'role' | 'username'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UserInputError) throw badRequest(error.message, error.field);
    if (error instanceof LastAdminError)
      throw new ApiError(409, 'conflict', error.message, { field: lastAdminField });
    throw error;
  }
}

/**
 * Users (admin only, ROUTE_ROLES): list, create, change a role, reset a password, delete. A
 * password is taken, never answered; each change but creation ends the user's sessions and tokens.
 */
export function userRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/users', async (c) => {
    const items: Api.User[] = (await listUsers(ctx.db)).map((u) => ({
      username: u.username,
      role: u.role,
      created_at: new Date(u.created_at).toISOString(),
    }));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.User>);
  });

  app.post('/users', async (c) => {
    const body = await jsonBody(c.req);
    onlyFields(body, ['username', 'role', 'password']);
    const created = await answering(() =>
      addUser(ctx.db, { username: body.username, role: body.role, password: body.password }, ctx.now()),
    );
    if (!created) throw conflict(`user "${String(body.username)}" exists already`);
    const user: Pick<Api.User, 'username' | 'role'> = {
      username: String(body.username),
      role: body.role as Api.Role,
    };
    return c.json(user, 201);
  });

  app.patch('/users/:username', async (c) => {
    const username = c.req.param('username');
    const body = await jsonBody(c.req);
    onlyFields(body, ['role']);
    if (body.role === undefined) throw badRequest('"role" is required', 'role');
    if (!(await answering(() => changeRole(ctx.db, username, body.role), 'role')))
      throw notFound(`user "${username}"`);
    return c.json({ username, role: body.role as Api.Role });
  });

  app.post('/users/:username/password', async (c) => {
    const username = c.req.param('username');
    const body = await jsonBody(c.req);
    onlyFields(body, ['password']);
    if (!(await answering(() => resetPassword(ctx.db, username, body.password))))
      throw notFound(`user "${username}"`);
    return c.body(null, 204);
  });

  app.delete('/users/:username', async (c) => {
    const username = c.req.param('username');
    if (!(await answering(() => removeUser(ctx.db, username), 'username')))
      throw notFound(`user "${username}"`);
    return c.body(null, 204);
  });

  return app;
}
