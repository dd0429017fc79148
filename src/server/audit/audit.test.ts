/**
 * The audit log through the API (issue #20): every change is one row (who, from where, what, on
 * which object, the fields with secrets masked), refused requests and dry runs none; failed logins
 * are rows too; GET /eventLogs is the admin's, filtered and paged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from '../api/types.ts';
import { addUser } from '../auth/user-admin.ts';
import { API_ROUTES, routeKey } from '../api/routes/index.ts';
import { eventually, requestFrom, testServer, type TestServer } from '../testing.ts';
import { ROUTE_ACTIONS } from './route-actions.ts';

const PASSWORD = 'eight-or-more';
const SECRET = 'hunter2-Zq9';
const basic = (user: string, password = PASSWORD) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the route table of the audit log', () => {
  it('names an action for every route defined that is not a GET (the two that only read say so)', () => {
    const changes = API_ROUTES.filter((route) => route.method !== 'get').map(routeKey);
    expect(Object.keys(ROUTE_ACTIONS).sort()).toEqual(changes.sort());
    const reads = Object.entries(ROUTE_ACTIONS).filter(([, a]) => a === 'read');
    expect(reads.map(([key]) => key).sort()).toEqual(['POST /backfills/dry_run', 'POST /warehouse/query']);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the audit log of the API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect);
    for (const role of ['viewer', 'op', 'admin'] as const)
      await addUser(s.db, { username: `${role}_user`, password: PASSWORD, role }, Date.now());
  });
  afterAll(() => s.close());

  /** A request as `user` from `address` (127.0.0.0/8 is all this machine's). */
  async function as(user: string, address: string, method: string, path: string, body?: unknown) {
    const answer = await requestFrom(address, `${s.url}/api/v1${path}`, {
      method,
      headers: { authorization: basic(user), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: answer.status,
      json: (answer.body ? JSON.parse(answer.body) : {}) as Record<string, unknown>,
    };
  }
  const log = async (query = '') => {
    const answer = await as('admin_user', '127.0.0.1', 'GET', `/eventLogs${query}`);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    return (answer.json as unknown as Api.EventLogs).items;
  };

  it('records a trigger by an op, clears, a mark, a pause, a backfill, pools, users and tokens, each once', async () => {
    const trigger = await as('op_user', '127.0.0.7', 'POST', '/dags/demo/dagRuns', {
      logical_date: '2018-11-01T00:00:00Z',
      conf: { note: 'from the test' },
    });
    expect(trigger.status).toBe(201);
    const runId = String(trigger.json.dag_run_id);
    const run = encodeURIComponent(runId);
    const [row] = await log();
    expect(row).toMatchObject({
      username: 'op_user',
      address: '127.0.0.7',
      action: 'dag_run.trigger',
      object: `demo/${runId}`,
      fields: { logical_date: '2018-11-01T00:00:00Z', conf: { note: 'from the test' } },
    });
    expect(Date.now() - Date.parse(row?.when ?? '')).toBeLessThan(60_000);
    await eventually(
      async () =>
        (await as('op_user', '127.0.0.7', 'GET', `/dags/demo/dagRuns/${run}`)).json.state === 'success',
    );

    // A dry run changes nothing: no row. A refused request neither.
    expect(
      (await as('op_user', '127.0.0.7', 'POST', `/dags/demo/dagRuns/${run}/clear`, { dry_run: true })).status,
    ).toBe(200);
    expect((await as('viewer_user', '127.0.0.8', 'PATCH', '/dags/later', { is_paused: true })).status).toBe(
      403,
    );
    expect((await as('op_user', '127.0.0.7', 'PATCH', '/dags/no_such_dag', { is_paused: true })).status).toBe(
      404,
    );

    const changes: [string, string, unknown?][] = [
      ['POST', '/dags/demo/clearTaskInstances', { dag_run_id: runId, task_ids: ['check'] }],
      ['POST', `/dags/demo/dagRuns/${run}/clear`, {}],
      ['PATCH', `/dags/demo/dagRuns/${run}/taskInstances/load`, { new_state: 'success' }],
      ['PATCH', `/dags/demo/dagRuns/${run}`, { state: 'success' }],
      ['PATCH', '/dags/later', { is_paused: true }],
      ['PATCH', '/dags/later', { is_paused: false }],
      ['POST', '/backfills', { dag_id: 'later', from_date: '2100-01-01', to_date: '2100-01-03' }],
      ['POST', '/pools', { name: 'audited', slots: 2 }],
      ['PATCH', '/pools/audited', { slots: 3 }],
      ['DELETE', '/pools/audited'],
      ['POST', '/auth/tokens', { role: 'viewer' }],
    ];
    for (const [method, path, body] of changes) {
      const answer = await as('op_user', '127.0.0.7', method, path, body);
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.json)}`).toBeLessThan(300);
      if (path === '/backfills') {
        const id = String(answer.json.id);
        expect((await as('op_user', '127.0.0.7', 'POST', `/backfills/${id}/cancel`)).status).toBe(200);
      }
    }
    const admin: [string, string, unknown?][] = [
      ['POST', '/users', { username: 'grace', role: 'viewer', password: SECRET }],
      ['PATCH', '/users/grace', { role: 'op' }],
      ['POST', '/users/grace/password', { password: `${SECRET}!` }],
      ['DELETE', '/users/grace'],
      ['POST', '/connections', { connection_id: 'scratch', uri: 'file:///tmp/scratch' }],
      ['DELETE', '/connections/scratch'],
    ];
    for (const [method, path, body] of admin)
      expect(
        (await as('admin_user', '127.0.0.9', method, path, body)).status,
        `${method} ${path}`,
      ).toBeLessThan(300);

    const rows = (await log()).slice(0, -1).reverse();
    const backfill = rows.find((r) => r.action === 'backfill.create')?.object ?? '';
    expect(backfill).toMatch(/^later\/backfills\/\d+$/);
    expect(rows.map((r) => `${r.username} ${r.action} ${r.object}`)).toEqual([
      `op_user task_instance.clear demo/${runId}`,
      `op_user dag_run.clear demo/${runId}`,
      `op_user task_instance.mark demo/${runId}/load`,
      `op_user dag_run.mark demo/${runId}`,
      'op_user dag.pause later',
      'op_user dag.unpause later',
      `op_user backfill.create ${backfill}`,
      `op_user backfill.cancel ${backfill}`,
      'op_user pool.set audited',
      'op_user pool.set audited',
      'op_user pool.delete audited',
      'op_user token.create op_user',
      'admin_user user.create grace',
      'admin_user user.set_role grace',
      'admin_user user.reset_password grace',
      'admin_user user.delete grace',
      'admin_user connection.add scratch',
      'admin_user connection.delete scratch',
    ]);
    expect(rows[0]?.fields).toEqual({ dag_run_id: runId, task_ids: ['check'] });
    expect(rows.find((r) => r.action === 'user.create')?.fields).toEqual({
      username: 'grace',
      role: 'viewer',
      password: '***',
    });
    expect(rows.find((r) => r.action === 'user.reset_password')?.fields).toEqual({ password: '***' });
    expect(new Set(rows.map((r) => r.address))).toEqual(new Set(['127.0.0.7', '127.0.0.9']));
  });

  it('records a connection added by an admin without its password, anywhere in the audit table', async () => {
    const uri = `postgres://etl:${SECRET}@db:5432/dw?sslpassword=${SECRET}`;
    const added = await as('admin_user', '127.0.0.9', 'POST', '/connections', { connection_id: 'dw', uri });
    expect(added.status).toBe(201);
    const [row] = await log('?action=connection.add');
    expect(row).toMatchObject({
      username: 'admin_user',
      object: 'dw',
      fields: { connection_id: 'dw', uri: 'postgres://etl:***@db:5432/dw?sslpassword=***' },
    });
    const table = await s.db.query('SELECT * FROM audit_log');
    expect(JSON.stringify(table)).toContain('postgres://etl:***@db');
    expect(JSON.stringify(table)).not.toContain(SECRET);
  });

  it('records failed logins (form, Basic, a token) and form logins, not each request Basic lets in', async () => {
    const form = (username: string, password: string) =>
      requestFrom('127.0.0.40', `${s.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
    expect((await form('viewer_user', 'wrong guess')).status).toBe(401);
    expect((await form('viewer_user', PASSWORD)).status).toBe(303);
    const refused = await requestFrom('127.0.0.41', `${s.url}/api/v1/dags`, {
      headers: { authorization: basic('nobody', `not ${SECRET}`) },
    });
    expect(refused.status).toBe(401);
    const token = await requestFrom('127.0.0.42', `${s.url}/api/v1/dags`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(token.status).toBe(401);
    expect((await as('viewer_user', '127.0.0.43', 'GET', '/dags')).status).toBe(200);

    const logins = await log('?action=login.failed');
    expect(logins.slice(0, 3).map((r) => [r.username, r.address, r.fields])).toEqual([
      ['', '127.0.0.42', { via: 'bearer' }],
      ['nobody', '127.0.0.41', { via: 'basic' }],
      ['viewer_user', '127.0.0.40', { via: 'form' }],
    ]);
    expect((await log('?action=login')).map((r) => [r.username, r.address, r.fields])).toEqual([
      ['viewer_user', '127.0.0.40', { via: 'form' }],
    ]);
    expect(JSON.stringify(await s.db.query('SELECT * FROM audit_log'))).not.toContain(SECRET);
    expect(await log('?username=viewer_user&action=login')).toHaveLength(1);
  });

  it('answers only admins, filters by user, action, object and time, and pages with a clear limit', async () => {
    expect((await as('op_user', '127.0.0.1', 'GET', '/eventLogs')).status).toBe(403);
    const all = await log();
    expect(all.length).toBeGreaterThan(10);
    const when = all.map((r) => Date.parse(r.when));
    expect([...when].sort((a, b) => b - a)).toEqual(when);
    expect((await log('?limit=3&offset=2')).map((r) => r.object)).toEqual(
      all.slice(2, 5).map((r) => r.object),
    );
    const demo = await log('?object=demo');
    expect(demo.length).toBeGreaterThan(3);
    expect(demo.every((r) => r.object.startsWith('demo/'))).toBe(true);
    expect((await log('?username=op_user&action=dag.pause')).map((r) => r.object)).toEqual(['later']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await log(`?after=${future}`)).toEqual([]);
    expect((await log(`?before=${future}`)).length).toBe(all.length);
    expect(await log('?username=&action=&object=&after=&before=')).toEqual(all);
    const tooMany = await as('admin_user', '127.0.0.1', 'GET', '/eventLogs?limit=1001');
    expect(tooMany).toEqual({
      status: 400,
      json: {
        error: {
          code: 'invalid_input',
          message: '"limit" must be a whole number from 1 to 1000',
          field: 'limit',
        },
      },
    });
    const unknown = await as('admin_user', '127.0.0.1', 'GET', '/eventLogs?action=dag.explode');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: { code: 'invalid_input', field: 'action' } });
    const { message } = (unknown.json as { error: { message: string } }).error;
    expect(message).toMatch(/^"action" must be one of dag_run\.trigger, /);
  });
});
