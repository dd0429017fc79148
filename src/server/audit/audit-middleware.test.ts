/**
 * The middleware reads a change's body after its handler did, from hono's cache: whichever way the
 * handler read it (text as jsonBody does, json as a validator does, or not at all).
 */
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../store/admin/index.ts';
import { testDb, type TestDb } from '../../store/db/testing.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { auditChanges } from './audit-middleware.ts';

let t: TestDb;
let app: Hono<AppEnv>;
const logged: string[] = [];
beforeAll(async () => {
  t = await testDb('sqlite');
  const ctx = { db: t.db, now: () => 1_700_000_000_000, log: (line: string) => logged.push(line) };
  app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('user', { username: 'ada', via: 'basic', csrfToken: null, role: 'admin' });
    await next();
  });
  app.use('*', auditChanges(ctx as unknown as ServerContext, { prefix: '/api/v1' }));
  app.post('/api/v1/pools', async (c) => c.json({ read: (await c.req.text()).length }, 201));
  app.patch('/api/v1/pools/:name', async (c) => c.json(await c.req.json<object>()));
  app.delete('/api/v1/pools/:name', (c) => c.body(null, 204));
  app.post('/api/v1/connections', (c) => c.json({ error: 'no' }, 400));
});
afterAll(() => t.drop());

const send = (method: string, path: string, body?: unknown) =>
  app.request(`http://x/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('the audit middleware', () => {
  it('takes the fields from the body however the handler read it, and leaves refused changes out', async () => {
    expect((await send('POST', '/pools', { name: 'dw', slots: 2 })).status).toBe(201);
    expect((await send('PATCH', '/pools/dw%2Fx', { slots: 3 })).status).toBe(200);
    expect((await send('DELETE', '/pools/dw', { ignored: 'body' })).status).toBe(204);
    expect((await send('POST', '/connections', { connection_id: 'c', uri: 'x://u:p@h' })).status).toBe(400);
    const rows = await listAudit(t.db);
    expect(rows.map((r) => [r.action, r.object, r.fields, r.address, r.at])).toEqual([
      ['pool.delete', 'dw', { ignored: 'body' }, 'unknown', 1_700_000_000_000],
      ['pool.set', 'dw/x', { slots: 3 }, 'unknown', 1_700_000_000_000],
      ['pool.set', 'dw', { name: 'dw', slots: 2 }, 'unknown', 1_700_000_000_000],
    ]);
    expect(logged).toEqual([]);
  });

  it('logs a row it cannot write, and answers the change as made', async () => {
    const lines: string[] = [];
    const broken = { dialect: 'sqlite', execute: () => Promise.reject(new Error('disk I/O error')) };
    const ctx = { db: broken, now: () => 0, log: (line: string) => lines.push(line) };
    const failing = new Hono<AppEnv>();
    failing.use('*', async (c, next) => {
      c.set('user', { username: 'ada', via: 'basic', csrfToken: null, role: 'admin' });
      await next();
    });
    failing.use('*', auditChanges(ctx as unknown as ServerContext));
    failing.delete('/api/v1/pools/:name', (c) => c.body(null, 204));
    expect((await failing.request('http://x/api/v1/pools/dw', { method: 'DELETE' })).status).toBe(204);
    expect(lines).toEqual(['audit log: pool.delete of dw by ada not recorded: disk I/O error']);
  });
});
