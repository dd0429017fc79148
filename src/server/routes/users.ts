import { OpenAPIHono } from '@hono/zod-openapi';
import * as routes from '../api/routes/users.ts';
import type * as Api from '../api/types.ts';
import { LastAdminError, listUsers } from '../../store/admin/index.ts';
import { addUser, changeRole, removeUser, resetPassword, UserInputError } from '../auth/user-admin.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { ApiError, badRequest, conflict, notFound } from '../errors.ts';

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
export function userRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.listUsers, async (c) => {
    const items: Api.User[] = (await listUsers(ctx.db)).map((u) => ({
      username: u.username,
      role: u.role,
      created_at: new Date(u.created_at).toISOString(),
    }));
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.User>, 200);
  });

  app.openapi(routes.createUser, async (c) => {
    const body = c.req.valid('json');
    const created = await answering(() =>
      addUser(ctx.db, { username: body.username, role: body.role, password: body.password }, ctx.now()),
    );
    if (!created) throw conflict(`user "${body.username}" exists already`);
    return c.json({ username: body.username, role: body.role }, 201);
  });

  app.openapi(routes.patchUser, async (c) => {
    const { username } = c.req.valid('param');
    const { role } = c.req.valid('json');
    if (!(await answering(() => changeRole(ctx.db, username, role), 'role')))
      throw notFound(`user "${username}"`);
    return c.json({ username, role }, 200);
  });

  app.openapi(routes.resetUserPassword, async (c) => {
    const { username } = c.req.valid('param');
    const body = c.req.valid('json');
    if (!(await answering(() => resetPassword(ctx.db, username, body.password))))
      throw notFound(`user "${username}"`);
    return c.body(null, 204);
  });

  app.openapi(routes.deleteUser, async (c) => {
    const { username } = c.req.valid('param');
    if (!(await answering(() => removeUser(ctx.db, username), 'username')))
      throw notFound(`user "${username}"`);
    return c.body(null, 204);
  });

  return app;
}
