/**
 * Hostile users against every route, as each role: malformed and oversized input, injection
 * through ids, conf and connection fields, traversal in paths. Never a 500, never a hang, never a
 * dropped table; a route the role may not use answers 403 and changes nothing. The inputs come
 * from a seeded generator, so a failure reproduces. No engine runs: the metadata DB changes only
 * by the requests, so that a snapshot of it before and after can tell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAtLeast, type Role } from '../store/admin/index.ts';
import { addUser } from './auth/user-admin.ts';
import { ROUTE_ROLES } from './auth/route-roles.ts';
import { ROUTES } from './openapi.ts';
import { BASIC, testServer, type TestServer } from './testing.ts';

const PASSWORD = 'eight-or-more';
/** The credentials of each role: the test server's own user is the admin. */
const AS: Record<Role, string> = {
  viewer: `Basic ${Buffer.from(`fuzz_viewer:${PASSWORD}`).toString('base64')}`,
  op: `Basic ${Buffer.from(`fuzz_op:${PASSWORD}`).toString('base64')}`,
  admin: BASIC,
};

let s: TestServer;
/** A run the requests' real ids name, so that hostile queries and bodies get past the 404. */
let realRunId = '';
beforeAll(async () => {
  s = await testServer('sqlite', { engine: false });
  for (const role of ['viewer', 'op'] as const)
    await addUser(s.db, { username: `fuzz_${role}`, password: PASSWORD, role }, Date.now());
  const trigger = await s.api('/api/v1/dags/demo/dagRuns', {
    method: 'POST',
    body: JSON.stringify({ logical_date: '2018-11-01T00:00:00Z' }),
  });
  realRunId = ((await trigger.json()) as { dag_run_id: string }).dag_run_id;
});
afterAll(() => s.close());

/** mulberry32: a small seeded PRNG. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_IDS = [
  "demo' OR '1'='1",
  'demo; DROP TABLE dag_runs; --',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'a'.repeat(5000),
  '💥'.repeat(100),
  '$1',
  '"; DELETE FROM users; --',
  '<script>alert(1)</script>',
];

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  "' OR 1=1 --",
  '2018-11-01T00:00:00Z; DROP TABLE dag_runs',
  'x'.repeat(20_000),
  [],
  [1, 'two', null],
  {},
  { $gt: '' },
  { __proto__: { admin: true } },
];

function hostileBody(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  switch (Math.floor(next() * 6)) {
    case 0:
      return '{"unterminated": ';
    case 1:
      return '['.repeat(50_000) + ']'.repeat(50_000);
    case 2:
      return JSON.stringify(pick(HOSTILE_VALUES));
    case 3: {
      const body: Record<string, unknown> = {};
      for (const field of [
        'logical_date',
        'conf',
        'dag_id',
        'from_date',
        'to_date',
        'dag_run_id',
        'task_ids',
        'is_paused',
        'connection_id',
        'uri',
        'reprocess_behavior',
        'max_active_runs',
        'dry_run',
        'sql',
        'limit',
      ]) {
        if (next() < 0.5) body[field] = pick(HOSTILE_VALUES);
      }
      return JSON.stringify(body);
    }
    case 4:
      return '\u0000\uFFFF\uD800';
    default:
      return Buffer.from(Array.from({ length: 64 }, () => Math.floor(next() * 256))).toString('latin1');
  }
}

/** Every row of the tables a request could change, and the connections the server holds. */
async function snapshot(): Promise<string> {
  const tables = [
    'dags',
    'dag_runs',
    'task_instances',
    'backfills',
    'pools',
    'users',
    'auth_tokens',
    'audit_log',
  ];
  const out: Record<string, string[]> = {};
  for (const table of tables)
    out[table] = (await s.db.query(`SELECT * FROM ${table}`)).map((row) => JSON.stringify(row)).sort();
  out.connections = [await (await s.api('/api/v1/connections')).text()];
  return JSON.stringify(out);
}

async function counts(): Promise<string> {
  const tables = ['dags', 'dag_runs', 'task_instances', 'users', 'backfills'];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await s.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
    out[table] = Number(row?.n);
  }
  return JSON.stringify(out);
}

describe('the API under hostile input', () => {
  it.each(['viewer', 'op', 'admin'] as const)(
    'answers every route as %s with a 4xx (never a 500, never a hang) for malformed ids, queries and bodies; a route not its own with 403, changing nothing',
    async (role) => {
      const next = random(20181101 + role.length);
      const REAL: Record<string, string> = {
        dag_id: 'demo',
        run_id: realRunId,
        task_id: 'check',
        try: '1',
        id: '1',
        connection_id: 'none',
        name: 'facts',
      };
      const before = await counts();
      const seen = new Map<number, number>();
      for (const route of ROUTES) {
        const needed = ROUTE_ROLES[`${route.method.toUpperCase()} ${route.path}`] ?? 'admin';
        const forbidden = !roleAtLeast(role, needed);
        const untouched = forbidden ? await snapshot() : '';
        for (let round = 0; round < 12; round += 1) {
          // Half the ids are real, so that hostile queries and bodies get past the 404.
          const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodeURIComponent(
              next() < 0.5
                ? (REAL[name] ?? '1')
                : (HOSTILE_IDS[Math.floor(next() * HOSTILE_IDS.length)] as string),
            ),
          );
          const query = ['limit', 'offset', 'state', 'before', 'after', 'logical_date_gte', 'dag_id']
            .filter(() => next() < 0.4)
            .map(
              (q) =>
                `${q}=${encodeURIComponent(String(HOSTILE_VALUES[Math.floor(next() * HOSTILE_VALUES.length)]))}`,
            )
            .join('&');
          const url = `${s.url}/api/v1${path}${query ? `?${query}` : ''}`;
          const method = route.method.toUpperCase();
          const response = await fetch(url, {
            method,
            headers: {
              authorization: AS[role],
              'content-type': next() < 0.8 ? 'application/json' : 'text/plain',
            },
            body: method === 'GET' ? undefined : hostileBody(next),
            signal: AbortSignal.timeout(10_000),
          });
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          const text = await response.text();
          const what = `${method} ${url.slice(0, 200)} → ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, what).toBeLessThan(500);
          // 431: Node refuses the URL before any route sees it.
          if (forbidden && response.status !== 431) expect(response.status, what).toBe(403);
          // 431 (a URL over Node's 16 KiB header limit) is answered by Node's HTTP server itself, bodiless.
          if (response.status >= 400 && response.status !== 431)
            expect(text, what).toMatch(/^\{"error":\{"code":/);
        }
        if (forbidden) expect(await snapshot(), `${role} ${route.method} ${route.path}`).toEqual(untouched);
      }
      // Some bodies were well-formed enough to be accepted (a connection, a run): no table was
      // dropped or emptied.
      const after = JSON.parse(await counts()) as Record<string, number>;
      const start = JSON.parse(before) as Record<string, number>;
      for (const [table, n] of Object.entries(start)) expect(after[table], table).toBeGreaterThanOrEqual(n);
      expect([...seen.keys()].every((status) => status < 500)).toBe(true);
      // And the audit log holds no change by this role that its role does not allow.
      const rows = await s.db.query<{ action: string }>('SELECT action FROM audit_log WHERE username = $1', [
        role === 'admin' ? 'ada' : `fuzz_${role}`,
      ]);
      const allowed = (action: string): boolean =>
        /^(connection|user|variable)\./.test(action)
          ? role === 'admin'
          : /^(dag_run|task_instance|dag|backfill|pool)\./.test(action)
            ? role !== 'viewer'
            : true;
      for (const { action } of rows) expect(allowed(action), `${role}: ${action}`).toBe(true);
      process.stdout.write(
        `fuzz answers as ${role} by status: ${JSON.stringify(Object.fromEntries(seen))}\n`,
      );
    },
    120_000,
  );

  it('stores SQL in conf and connection fields as data, never as SQL', async () => {
    const injection = "x'); DROP TABLE dag_runs; --";
    const created = await s.api('/api/v1/dags/demo/dagRuns', {
      method: 'POST',
      body: JSON.stringify({ logical_date: '2018-11-02T00:00:00Z', conf: { [injection]: injection } }),
    });
    expect(created.status).toBe(201);
    const run = (await created.json()) as { conf: Record<string, string> };
    expect(run.conf[injection]).toBe(injection);
    const connection = await s.api('/api/v1/connections', {
      method: 'POST',
      body: JSON.stringify({
        connection_id: 'evil',
        uri: `postgres://u:p@h/db?options=${encodeURIComponent(injection)}`,
      }),
    });
    expect(connection.status).toBe(201);
    expect((await s.db.query('SELECT COUNT(*) AS n FROM dag_runs'))[0]).toBeDefined();
  });

  it('does not serve files through traversal in API or UI paths', async () => {
    for (const path of [
      '/api/v1/../../package.json',
      '/api/v1/dags/..%2F..%2Fpackage.json',
      '/..%2F..%2Fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const response = await fetch(`${s.url}${path}`, { headers: { authorization: BASIC } });
      expect(await response.text(), path).not.toContain('"devDependencies"');
    }
  });
});
