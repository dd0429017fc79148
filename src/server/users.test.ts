/**
 * Users in the API (issue #20): admins manage them; a change of role or password, or a deletion,
 * ends the user's sessions and API tokens, and Basic credentials the server remembered; a token's
 * role is at most its maker's; bad input is refused naming the field; the last admin stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { addUser } from './auth/user-admin.ts';
import { testServer, type TestServer } from './testing.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe.each(['sqlite', 'postgres'] as const)('users in the API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect, { engine: false });
  });
  afterAll(() => s.close());

  const as = (auth: string, path: string, init: { method?: string; body?: unknown; headers?: object } = {}) =>
    fetch(`${s.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: auth, 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  /** A browser session of `user`: its cookie and CSRF token. */
  async function logIn(user: string, password: string): Promise<{ cookie: string; csrf: string }> {
    const login = await fetch(`${s.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user, password }).toString(),
    });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = (await (
      await fetch(`${s.url}/api/v1/auth/session`, { headers: { cookie } })
    ).json()) as Api.Session;
    return { cookie, csrf: session.csrf_token };
  }
  const sessionOf = (cookie: string) => fetch(`${s.url}/api/v1/auth/session`, { headers: { cookie } });
  async function tokenOf(auth: string, role?: Api.Role): Promise<string> {
    const made = await as(auth, '/auth/tokens', { method: 'POST', body: role ? { role } : {} });
    expect(made.status).toBe(201);
    return `Bearer ${((await made.json()) as { token: string }).token}`;
  }

  it('creates and lists users for an admin; the session says the role; passwords are never answered', async () => {
    const created = await s.api('/api/v1/users', {
      method: 'POST',
      body: JSON.stringify({ username: 'grace', role: 'op', password: 'cobol-1959' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ username: 'grace', role: 'op' });
    const listed = await (await s.api('/api/v1/users')).text();
    expect(listed).not.toMatch(/password|cobol|scrypt/);
    const items = (JSON.parse(listed) as Api.Page<Api.User>).items.map((u) => [u.username, u.role]);
    expect(items).toEqual([
      ['ada', 'admin'],
      ['grace', 'op'],
    ]);
    const session = (await (await as(basic('grace', 'cobol-1959'), '/auth/session')).json()) as Api.Session;
    expect(session).toMatchObject({ username: 'grace', role: 'op' });
    expect((await as(basic('grace', 'cobol-1959'), '/users')).status).toBe(403);
  });

  it('refuses bad input naming the field, and keeps the last admin', async () => {
    const post = (body: unknown) => s.api('/api/v1/users', { method: 'POST', body: JSON.stringify(body) });
    const refused = async (response: Response) => ((await response.json()) as Api.ApiError).error;
    expect(await refused(await post({ username: 'x1', role: 'root', password: 'long enough' }))).toEqual({
      code: 'invalid_input',
      message: 'role must be one of viewer, op, admin, not "root"',
      field: 'role',
    });
    const weak = await post({ username: 'x2', role: 'viewer', password: 'short7!' });
    expect(weak.status).toBe(400);
    const weakError = await refused(weak);
    expect(weakError).toEqual({
      code: 'invalid_input',
      message: 'password must be at least 8 characters',
      field: 'password',
    });
    expect(
      await refused(await post({ username: 'a b', role: 'viewer', password: 'long enough' })),
    ).toMatchObject({
      field: 'username',
    });
    expect((await post({ username: 'grace', role: 'viewer', password: 'long enough' })).status).toBe(409);
    const reset = await s.api('/api/v1/users/grace/password', {
      method: 'POST',
      body: '{"password":"1234"}',
    });
    expect(await refused(reset)).toMatchObject({ field: 'password' });
    const demote = await s.api('/api/v1/users/ada', { method: 'PATCH', body: '{"role":"op"}' });
    expect(demote.status).toBe(409);
    expect(await refused(demote)).toEqual({
      code: 'conflict',
      message: 'ada is the last admin: make another user admin first',
      field: 'role',
    });
    const remove = await s.api('/api/v1/users/ada', { method: 'DELETE' });
    expect(remove.status).toBe(409);
    expect(await refused(remove)).toMatchObject({ field: 'username' });
    expect((await s.api('/api/v1/users/nobody', { method: 'DELETE' })).status).toBe(404);
    expect((await s.api('/api/v1/users/nobody', { method: 'PATCH', body: '{"role":"op"}' })).status).toBe(
      404,
    );
  });

  it("gives a token at most its maker's role, and acts with the token's role", async () => {
    const op = basic('grace', 'cobol-1959');
    const viewerToken = await tokenOf(op, 'viewer');
    expect(((await (await as(viewerToken, '/auth/session')).json()) as Api.Session).role).toBe('viewer');
    const trigger = await as(viewerToken, '/dags/later', { method: 'PATCH', body: { is_paused: true } });
    expect(trigger.status).toBe(403);
    expect(((await trigger.json()) as Api.ApiError).error.message).toBe(
      "PATCH /dags/later needs the op role; grace's token is a viewer",
    );
    const higher = await as(op, '/auth/tokens', { method: 'POST', body: { role: 'admin' } });
    expect(higher.status).toBe(403);
    expect(((await higher.json()) as Api.ApiError).error).toMatchObject({ code: 'forbidden', field: 'role' });
    const unknown = await as(op, '/auth/tokens', { method: 'POST', body: { role: 'boss' } });
    expect(((await unknown.json()) as Api.ApiError).error).toMatchObject({
      code: 'invalid_input',
      field: 'role',
    });
    const opToken = await tokenOf(op);
    expect((await as(opToken, '/dags/later', { method: 'PATCH', body: { is_paused: true } })).status).toBe(
      200,
    );
  });

  it.each([
    [
      'a role change',
      (u: string) => s.api(`/api/v1/users/${u}`, { method: 'PATCH', body: '{"role":"viewer"}' }),
    ],
    [
      'a password reset',
      (u: string) =>
        s.api(`/api/v1/users/${u}/password`, { method: 'POST', body: '{"password":"another-one"}' }),
    ],
    ['a deletion', (u: string) => s.api(`/api/v1/users/${u}`, { method: 'DELETE' })],
  ])("ends the user's sessions, tokens and remembered Basic credentials on %s", async (_, change) => {
    const name = `temp_${Math.random().toString(36).slice(2, 8)}`;
    await addUser(s.db, { username: name, password: 'first-password', role: 'op' }, Date.now());
    const { cookie } = await logIn(name, 'first-password');
    const token = await tokenOf(basic(name, 'first-password'));
    // The server now remembers these Basic credentials for a minute.
    expect((await as(basic(name, 'first-password'), '/dags')).status).toBe(200);
    expect((await sessionOf(cookie)).status).toBe(200);
    expect((await as(token, '/dags')).status).toBe(200);

    expect((await change(name)).status).toBeLessThan(300);

    expect((await sessionOf(cookie)).status).toBe(401);
    expect((await as(token, '/dags')).status).toBe(401);
    const remembered = await as(basic(name, 'first-password'), '/dags/later', {
      method: 'PATCH',
      body: { is_paused: false },
    });
    // A role change keeps the password: it still logs in, with the new role.
    expect(remembered.status).toBe(_ === 'a role change' ? 403 : 401);
  });
});
