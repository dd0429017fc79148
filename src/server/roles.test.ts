import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from './auth/user-admin.ts';
import { ROUTE_ROLES } from './auth/route-roles.ts';
import type * as Api from './api/types.ts';
import { ROUTES } from './openapi.ts';
import { eventually, testServer, type TestServer } from './testing.ts';

const ROLES = ['viewer', 'op', 'admin'] as const;
const PASSWORD = 'eight-or-more';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`;
const may = (held: Api.Role, needed: Api.Role) => ROLES.indexOf(held) >= ROLES.indexOf(needed);

describe('the role table', () => {
  it('names a role for exactly the routes of the OpenAPI document', async () => {
    const s = await testServer('sqlite', { engine: false });
    try {
      const doc = (await (await s.api('/api/v1/openapi.json')).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const described = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(described.sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
    } finally {
      await s.close();
    }
  });
});

/** The issue's list, written out apart from the table: what is not here is the viewer's. */
const OP = [
  'PATCH /dags/{dag_id}',
  'POST /dags/{dag_id}/dagRuns',
  'PATCH /dags/{dag_id}/dagRuns/{run_id}',
  'PATCH /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}',
  'POST /dags/{dag_id}/dagRuns/{run_id}/clear',
  'POST /dags/{dag_id}/clearTaskInstances',
  'POST /backfills',
  'POST /backfills/{id}/cancel',
  'POST /pools',
  'PATCH /pools/{name}',
  'DELETE /pools/{name}',
];
const ADMIN = [
  'GET /connections',
  'POST /connections',
  'DELETE /connections/{connection_id}',
  'GET /users',
  'POST /users',
  'PATCH /users/{username}',
  'POST /users/{username}/password',
  'DELETE /users/{username}',
  'GET /eventLogs',
];

describe('the roles of the routes', () => {
  it("are the issue's: changes to runs, DAGs, backfills and pools are the op's; connections, users and the audit log the admin's", () => {
    const expected = Object.fromEntries(
      Object.keys(ROUTE_ROLES).map((key) => [
        key,
        ADMIN.includes(key) ? 'admin' : OP.includes(key) ? 'op' : 'viewer',
      ]),
    );
    expect(ROUTE_ROLES).toEqual(expected);
    expect(ROUTE_ROLES['POST /warehouse/query']).toBe('viewer');
  });
});

describe.each(['sqlite', 'postgres'] as const)('each route × role on %s', (dialect) => {
  let s: TestServer;
  let runId = '';
  let backfillId = 0;
  beforeAll(async () => {
    s = await testServer(dialect);
    for (const role of ROLES)
      await addUser(s.db, { username: `${role}_user`, password: PASSWORD, role }, Date.now());
    const run = (await (
      await s.api('/api/v1/dags/demo/dagRuns', {
        method: 'POST',
        body: JSON.stringify({ logical_date: '2018-11-01T00:00:00Z' }),
      })
    ).json()) as Api.DagRun;
    runId = run.dag_run_id;
    await eventually(async () => {
      const now = (await (
        await s.api(`/api/v1/dags/demo/dagRuns/${encodeURIComponent(runId)}`)
      ).json()) as Api.DagRun;
      return now.state === 'success';
    });
    const backfill = await s.api('/api/v1/backfills', {
      method: 'POST',
      body: JSON.stringify({ dag_id: 'later', from_date: '2100-01-01', to_date: '2100-01-03' }),
    });
    backfillId = ((await backfill.json()) as Api.Backfill).id;
  });
  afterAll(() => s.close());

  /**
   * A request each route accepts from a role it allows: names of its own for what it creates or
   * deletes; a backfill is cancelled by the role that started it.
   */
  function requestOf(
    method: string,
    path: string,
    role: Api.Role,
    hour: number,
  ): { url: string; body?: unknown } {
    const ids: Record<string, string> = {
      dag_id: path.startsWith('/dags/{dag_id}/dagRuns') || path.includes('clear') ? 'demo' : 'later',
      run_id: runId,
      task_id: 'check',
      try: '1',
      id: String(backfillId),
      name: path.startsWith('/pools') ? (method === 'GET' ? 'default_pool' : `pool_${role}`) : 'facts',
      connection_id: `conn_${role}`,
      username: `someone_${role}`,
    };
    const url = path.replace(/\{(\w+)\}/g, (_, id: string) => encodeURIComponent(ids[id] ?? ''));
    const day = `2018-11-0${hour + 2}`;
    const bodies: Record<string, unknown> = {
      'PATCH /dags/{dag_id}': { is_paused: true },
      'POST /dags/{dag_id}/dagRuns': { logical_date: `${day}T00:00:00Z` },
      'PATCH /dags/{dag_id}/dagRuns/{run_id}': { state: 'success' },
      'PATCH /dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}': { new_state: 'success' },
      'POST /dags/{dag_id}/dagRuns/{run_id}/clear': { dry_run: true },
      'POST /dags/{dag_id}/clearTaskInstances': { dag_run_id: runId, dry_run: true },
      'POST /backfills/dry_run': { dag_id: 'later', from_date: '2100-01-01', to_date: '2100-01-02' },
      'POST /backfills': {
        dag_id: 'later',
        from_date: `2100-02-0${hour + 1}`,
        to_date: `2100-02-0${hour + 2}`,
      },
      'POST /pools': { name: `pool_${role}`, slots: 2 },
      'PATCH /pools/{name}': { slots: 3 },
      'POST /connections': { connection_id: `conn_${role}`, uri: 'file:///tmp/x' },
      'POST /warehouse/query': { sql: 'SELECT 1 AS one' },
      'POST /users': { username: `someone_${role}`, role: 'viewer', password: PASSWORD },
      'PATCH /users/{username}': { role: 'op' },
      'POST /users/{username}/password': { password: `${PASSWORD}!` },
      'POST /auth/tokens': {},
    };
    return { url: `${s.url}/api/v1${url}`, body: bodies[`${method} ${path}`] };
  }

  it('answers 2xx to the roles a route allows, 403 naming the role to the others, 401 without credentials', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [hour, role] of ROLES.entries()) {
      for (const route of ROUTES) {
        const method = route.method.toUpperCase();
        const needed = ROUTE_ROLES[`${method} ${route.path}`];
        if (!needed) throw new Error(`${method} ${route.path} has no role`);
        const { url, body } = requestOf(method, route.path, role, hour);
        const init = { method, body: body === undefined ? undefined : JSON.stringify(body) };
        const headers = { 'content-type': 'application/json' };
        const response = await fetch(url, {
          ...init,
          headers: { ...headers, authorization: basic(`${role}_user`) },
        });
        const text = await response.text();
        if (route.path === '/backfills' && method === 'POST' && response.ok)
          backfillId = (JSON.parse(text) as Api.Backfill).id;
        const allowed = may(role, needed);
        seen.push(
          `${role} ${method} ${route.path} → ${response.status < 300 ? '2xx' : response.status} ${allowed ? '' : text}`,
        );
        expected.push(
          `${role} ${method} ${route.path} → ${allowed ? '2xx' : 403} ${
            allowed
              ? ''
              : JSON.stringify({
                  error: {
                    code: 'forbidden',
                    message: `${method} ${new URL(url).pathname.slice('/api/v1'.length)} needs the ${needed} role; ${role}_user is a ${role}`,
                  },
                })
          }`,
        );
        if (role === 'viewer') {
          const anonymous = await fetch(url, { ...init, headers });
          await anonymous.body?.cancel();
          expect(anonymous.status, `${method} ${route.path} without credentials`).toBe(401);
        }
      }
    }
    expect(seen).toEqual(expected);
  });
});
