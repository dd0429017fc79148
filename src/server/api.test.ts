import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { createApp } from './app.ts';
import { ROUTES } from './openapi.ts';
import {
  BASIC,
  eventually,
  PASSWORD,
  requestFrom,
  switches,
  testServer,
  USER,
  type TestServer,
} from './testing.ts';

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;
const runPath = (runId: string) => `/api/v1/dags/demo/dagRuns/${encodeURIComponent(runId)}`;

describe.each(['sqlite', 'postgres'] as const)('REST API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect);
  });
  afterAll(async () => {
    switches.failing = false;
    await s.close();
  });

  async function runToEnd(logicalDate: string): Promise<Api.DagRun> {
    const created = await s.api('/api/v1/dags/demo/dagRuns', {
      method: 'POST',
      body: JSON.stringify({ logical_date: logicalDate, conf: { source: 'test' } }),
    });
    expect(created.status).toBe(201);
    const run = await json<Api.DagRun>(created);
    return eventually(async () => {
      const now = await json<Api.DagRun>(await s.api(runPath(run.dag_run_id)));
      return now.state === 'success' || now.state === 'failed' ? now : undefined;
    });
  }

  describe('authentication', () => {
    it('answers 401 with WWW-Authenticate without or with wrong credentials, and 200 with them', async () => {
      const none = await fetch(`${s.url}/api/v1/dags`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Basic');
      expect((await json<Api.ApiError>(none)).error.code).toBe('unauthorized');
      const wrong = await fetch(`${s.url}/api/v1/dags`, {
        headers: { authorization: `Basic ${Buffer.from(`${USER}:nope`).toString('base64')}` },
      });
      expect(wrong.status).toBe(401);
      const malformed = await fetch(`${s.url}/api/v1/dags`, { headers: { authorization: 'Basic !!!' } });
      expect(malformed.status).toBe(401);
      expect((await s.api('/api/v1/dags')).status).toBe(200);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    });

    it('serves /health and /login without credentials and sends a browser to /login', async () => {
      expect(await json<Api.Health>(await fetch(`${s.url}/health`))).toMatchObject({ status: 'ok' });
      const login = await fetch(`${s.url}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('name="password"');
      const page = await fetch(`${s.url}/dags/demo/grid`, { redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/login?next=%2Fdags%2Fdemo%2Fgrid');
    });

    it('gives a session cookie at login; changes need its CSRF token; logout ends it', async () => {
      const form = new URLSearchParams({ username: USER, password: PASSWORD, next: '/backfills' });
      const login = await fetch(`${s.url}/login`, { method: 'POST', body: form, redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/backfills');
      const setCookie = login.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      const cookie = setCookie.split(';')[0] as string;
      const session = await json<Api.Session>(
        await fetch(`${s.url}/api/v1/auth/session`, { headers: { cookie } }),
      );
      expect(session.username).toBe(USER);
      const patch = (headers: Record<string, string>) =>
        fetch(`${s.url}/api/v1/dags/demo`, {
          method: 'PATCH',
          headers: { cookie, 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ is_paused: true }),
        });
      const forged = await patch({});
      expect(forged.status).toBe(403);
      expect((await json<Api.ApiError>(forged)).error.code).toBe('csrf');
      expect((await patch({ 'x-csrf-token': session.csrf_token })).status).toBe(200);
      expect(
        (await patch({ 'x-csrf-token': session.csrf_token, 'sec-fetch-site': 'cross-site' })).status,
      ).toBe(403);
      const logout = await fetch(`${s.url}/logout`, {
        method: 'POST',
        headers: { cookie },
        body: new URLSearchParams({ csrf_token: session.csrf_token }),
        redirect: 'manual',
      });
      expect(logout.status).toBe(303);
      expect((await fetch(`${s.url}/api/v1/auth/session`, { headers: { cookie } })).status).toBe(401);
    });

    it('refuses a login with the wrong password, then rate-limits the name with 429 and Retry-After', async () => {
      // From an address of its own: the limit locks the address too (login-limit.test.ts).
      const attempt = () =>
        requestFrom('127.0.0.41', `${s.url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: 'mallory', password: 'guess' }).toString(),
        });
      for (let i = 0; i < 5; i += 1) expect((await attempt()).status).toBe(401);
      const limited = await attempt();
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('300');
      expect(limited.body).toMatch(/too many failed logins/);
    });

    it('issues bearer tokens, stored only hashed', async () => {
      const { token } = await json<{ token: string }>(await s.api('/api/v1/auth/tokens', { method: 'POST' }));
      const ok = await fetch(`${s.url}/api/v1/dags`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      const bad = await fetch(`${s.url}/api/v1/dags`, { headers: { authorization: 'Bearer nope' } });
      expect(bad.status).toBe(401);
      const stored = await s.db.query<{ token_hash: string }>(
        "SELECT token_hash FROM auth_tokens WHERE kind = 'api'",
      );
      expect(stored.map((r) => r.token_hash)).not.toContain(token);
    });

    it('sets security headers', async () => {
      const response = await fetch(`${s.url}/health`);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('DAGs', () => {
    it('lists DAGs, shows one with its graph, pauses and unpauses it', async () => {
      const list = await json<Api.Page<Api.DagSummary>>(await s.api('/api/v1/dags'));
      expect(list.items.map((d) => d.dag_id)).toEqual(['demo', 'later', 'slow', 'with_params']);
      expect(list.items[0]).toMatchObject({ schedule: '@hourly', file: 'demo.dag.ts' });
      const detail = await json<Api.DagDetail>(await s.api('/api/v1/dags/demo'));
      expect(detail.tasks.map((t) => t.task_id)).toEqual(['begin', 'stage', 'load', 'check', 'end']);
      expect(detail.tasks[1]).toMatchObject({
        operator: 'stage_json',
        upstream: ['begin'],
        downstream: ['load'],
      });
      const patch = (paused: boolean) =>
        s.api('/api/v1/dags/later', { method: 'PATCH', body: JSON.stringify({ is_paused: paused }) });
      expect(await json<Api.DagDetail>(await patch(false))).toMatchObject({
        is_paused: false,
        next_run: '2100-01-01T00:00:00.000Z',
      });
      expect(await json<Api.DagDetail>(await patch(true))).toMatchObject({ is_paused: true, next_run: null });
    });

    it('answers bad input with a 400 naming the field, and unknown ids with 404', async () => {
      const cases: [string, { method?: string; body?: string }, number, string?][] = [
        [
          '/api/v1/dags/demo',
          { method: 'PATCH', body: JSON.stringify({ is_paused: 'yes' }) },
          400,
          'is_paused',
        ],
        ['/api/v1/dags/demo', { method: 'PATCH', body: JSON.stringify({ paused: true }) }, 400, 'paused'],
        ['/api/v1/dags/demo', { method: 'PATCH', body: '{not json' }, 400],
        ['/api/v1/dags/demo', { method: 'PATCH', body: '[1,2]' }, 400],
        ['/api/v1/dags/nope', {}, 404],
        ['/api/v1/dags/nope', { method: 'PATCH', body: JSON.stringify({ is_paused: true }) }, 404],
        ['/api/v1/nothing/here', {}, 404],
      ];
      for (const [path, init, status, field] of cases) {
        const response = await s.api(path, init);
        expect(response.status, `${init.method ?? 'GET'} ${path} ${init.body ?? ''}`).toBe(status);
        const body = await json<Api.ApiError>(response);
        expect(body.error.message.length).toBeGreaterThan(5);
        if (field) expect(body.error.field).toBe(field);
      }
    });

    it('lists DAG files that failed to load', async () => {
      const errors = await json<Api.Page<Api.ImportError>>(await s.api('/api/v1/importErrors'));
      expect(errors.items).toHaveLength(1);
      expect(errors.items[0]?.file).toBe('broken.dag.ts');
      expect(errors.items[0]?.message).toContain('SyntaxError');
    });
  });

  describe('runs, task instances, logs, checks', () => {
    it('triggers a run by logical date, refuses a second one for the same date, and runs it', async () => {
      const run = await runToEnd('2018-11-01T03:00:00Z');
      expect(run).toMatchObject({
        state: 'success',
        run_type: 'manual',
        logical_date: '2018-11-01T03:00:00.000Z',
        conf: { source: 'test' },
      });
      const again = await s.api('/api/v1/dags/demo/dagRuns', {
        method: 'POST',
        body: JSON.stringify({ logical_date: '2018-11-01T03:30:00Z' }),
      });
      expect(again.status).toBe(409);
      expect((await json<Api.ApiError>(again)).error.message).toMatch(/clear/);
    });

    it('rejects bad triggers: a bad date, wrong types, unknown fields, a huge body', async () => {
      const post = (body: string) => s.api('/api/v1/dags/demo/dagRuns', { method: 'POST', body });
      for (const [body, field] of [
        [JSON.stringify({ logical_date: 'yesterday' }), 'logical_date'],
        [JSON.stringify({ logical_date: '2018-13-45' }), 'logical_date'],
        [JSON.stringify({ logical_date: 20181101 }), 'logical_date'],
        [JSON.stringify({}), 'logical_date'],
        [JSON.stringify({ logical_date: '2018-11-01', conf: 5 }), 'conf'],
        [JSON.stringify({ logical_date: '2018-11-01', run_id: 'x' }), 'run_id'],
      ] as const) {
        const response = await post(body);
        expect(response.status, body).toBe(400);
        expect((await json<Api.ApiError>(response)).error.field).toBe(field);
      }
      const huge = await post(
        JSON.stringify({ logical_date: '2018-11-01', conf: { x: 'y'.repeat(2_000_000) } }),
      );
      expect(huge.status).toBe(413);
      expect((await json<Api.ApiError>(huge)).error.code).toBe('too_large');
    });

    it('pages and filters runs, and shows task instances, tries and logs', async () => {
      const page = await json<Api.Page<Api.DagRun>>(
        await s.api('/api/v1/dags/demo/dagRuns?state=success&limit=1'),
      );
      expect(page.total_entries).toBeGreaterThanOrEqual(1);
      expect(page.items).toHaveLength(1);
      const runId = (page.items[0] as Api.DagRun).dag_run_id;
      const none = await json<Api.Page<Api.DagRun>>(
        await s.api('/api/v1/dags/demo/dagRuns?logical_date_gte=2019-01-01T00:00:00Z'),
      );
      expect(none.items).toEqual([]);
      for (const bad of ['state=done', 'limit=0', 'limit=abc', 'offset=-1', 'logical_date_gte=soon']) {
        expect((await s.api(`/api/v1/dags/demo/dagRuns?${bad}`)).status, bad).toBe(400);
      }
      expect((await s.api(runPath('manual__nope'))).status).toBe(404);

      const tis = await json<Api.Page<Api.TaskInstance>>(await s.api(`${runPath(runId)}/taskInstances`));
      expect(tis.items.map((t) => [t.task_id, t.state])).toEqual([
        ['begin', 'success'],
        ['stage', 'success'],
        ['load', 'success'],
        ['check', 'success'],
        ['end', 'success'],
      ]);
      const ti = await json<Api.TaskInstance>(await s.api(`${runPath(runId)}/taskInstances/stage`));
      expect(ti).toMatchObject({ operator: 'stage_json', try_number: 1, max_tries: 1 });
      expect((await s.api(`${runPath(runId)}/taskInstances/nope`)).status).toBe(404);
      const tries = await json<Api.Page<Api.TaskTry>>(
        await s.api(`${runPath(runId)}/taskInstances/stage/tries`),
      );
      expect(tries.items[0]).toMatchObject({
        try_number: 1,
        state: 'success',
        outcome: { rowsWritten: { staging: 7 } },
      });

      const log = await json<Api.LogChunk>(await s.api(`${runPath(runId)}/taskInstances/stage/logs/1`));
      expect(log.done).toBe(true);
      expect(log.lines.map((l) => l.text).join('\n')).toContain('staging the hour 2018-11-01T03:00:00.000Z');
      const rest = await json<Api.LogChunk>(
        await s.api(`${runPath(runId)}/taskInstances/stage/logs/1?after=1`),
      );
      expect(rest.lines[0]?.line_no).toBe(2);
      expect((await s.api(`${runPath(runId)}/taskInstances/stage/logs/2`)).status).toBe(404);
      expect((await s.api(`${runPath(runId)}/taskInstances/stage/logs/x`)).status).toBe(400);

      const sse = await s.api(`${runPath(runId)}/taskInstances/stage/logs/1`, {
        headers: { accept: 'text/event-stream' },
      });
      expect(sse.headers.get('content-type')).toContain('text/event-stream');
      const events = (await sse.text()).split('\n').filter((l) => l.startsWith('data:'));
      const last = JSON.parse((events.at(-1) as string).slice(5)) as Api.LogChunk;
      expect(last.done).toBe(true);
    });

    it('shows a failed check with expected and actual; a clear with downstream makes the run succeed', async () => {
      switches.failing = true;
      const failed = await runToEnd('2018-11-01T05:00:00Z');
      expect(failed.state).toBe('failed');
      const path = runPath(failed.dag_run_id);
      const checks = await json<Api.RunChecks>(await s.api(`${path}/checks`));
      expect(checks.checks).toContainEqual(
        expect.objectContaining({
          task_id: 'check',
          name: 'facts_match_staging',
          expected: '7',
          actual: '6',
          passed: false,
        }),
      );
      expect(checks.rows).toMatchObject({ stage: 7, load: 5 });
      const tis = await json<Api.Page<Api.TaskInstance>>(await s.api(`${path}/taskInstances`));
      expect(tis.items.find((t) => t.task_id === 'end')?.state).toBe('upstream_failed');
      const tries = await json<Api.Page<Api.TaskTry>>(await s.api(`${path}/taskInstances/check/tries`));
      expect(tries.items[0]?.error).toMatchObject({ code: 'checks_failed' });

      const clear = (body: object) =>
        s.api('/api/v1/dags/demo/clearTaskInstances', { method: 'POST', body: JSON.stringify(body) });
      const dry = await json<Api.ClearResult>(
        await clear({
          dag_run_id: failed.dag_run_id,
          task_ids: ['check'],
          include_downstream: true,
          dry_run: true,
        }),
      );
      expect(dry.task_instances.map((t) => t.task_id).sort()).toEqual(['check', 'end']);
      expect((await json<Api.DagRun>(await s.api(path))).state).toBe('failed');
      expect((await clear({ dag_run_id: failed.dag_run_id, task_ids: ['nope'] })).status).toBe(404);
      expect((await clear({ dag_run_id: 'manual__nope' })).status).toBe(404);
      expect((await clear({ task_ids: ['check'] })).status).toBe(400);

      switches.failing = false;
      await clear({ dag_run_id: failed.dag_run_id, task_ids: ['check'], include_downstream: true });
      const done = await eventually(async () => {
        const run = await json<Api.DagRun>(await s.api(path));
        return run.state === 'success' ? run : undefined;
      });
      expect(done.state).toBe('success');
      const after = await json<Api.Page<Api.TaskTry>>(await s.api(`${path}/taskInstances/check/tries`));
      expect(after.items.map((t) => t.state)).toEqual(['failed', 'success']);
      const passed = await json<Api.RunChecks>(await s.api(`${path}/checks`));
      expect(passed.checks.every((c) => c.passed)).toBe(true);
    });

    it("serves a running try's log as it grows, then says when it is done", async () => {
      switches.released = false;
      const created = await s.api('/api/v1/dags/slow/dagRuns', {
        method: 'POST',
        body: JSON.stringify({ logical_date: '2100-01-02' }),
      });
      const run = await json<Api.DagRun>(created);
      const logs = `/api/v1/dags/slow/dagRuns/${encodeURIComponent(run.dag_run_id)}/taskInstances/long/logs/1`;
      const midway = await eventually(async () => {
        const response = await s.api(logs);
        if (response.status !== 200) return undefined;
        const chunk = await json<Api.LogChunk>(response);
        return chunk.lines.some((l) => l.text.includes('waiting for the release')) ? chunk : undefined;
      });
      expect(midway.done).toBe(false);
      const ti = await json<Api.TaskInstance>(
        await s.api(`/api/v1/dags/slow/dagRuns/${encodeURIComponent(run.dag_run_id)}/taskInstances/long`),
      );
      expect(ti.state).toBe('running');
      switches.released = true;
      const rest = await eventually(async () => {
        const chunk = await json<Api.LogChunk>(await s.api(`${logs}?after=${midway.last_line_no}`));
        return chunk.done ? chunk : undefined;
      });
      expect(rest.lines.map((l) => l.text).join('\n')).toContain('released');
      expect(rest.lines[0]?.line_no).toBe(midway.last_line_no + 1);
    });

    it('clears a whole run', async () => {
      const run = await runToEnd('2018-11-01T06:00:00Z');
      const cleared = await json<Api.ClearResult>(
        await s.api(`${runPath(run.dag_run_id)}/clear`, {
          method: 'POST',
          body: JSON.stringify({ dry_run: true }),
        }),
      );
      expect(cleared.task_instances).toHaveLength(5);
      expect(
        (await s.api(`${runPath(run.dag_run_id)}/clear`, { method: 'POST', body: '{"dry":1}' })).status,
      ).toBe(400);
    });
  });

  describe('grid and statistics', () => {
    it('windows the grid with paging, and reports rows and checks per run', async () => {
      const grid = await json<Api.Grid>(await s.api('/api/v1/dags/demo/grid?limit=2'));
      expect(grid.task_ids).toEqual(['begin', 'stage', 'load', 'check', 'end']);
      expect(grid.runs).toHaveLength(2);
      expect(grid.total_runs).toBeGreaterThanOrEqual(3);
      expect(grid.runs.map((r) => r.logical_date)).toEqual([
        '2018-11-01T05:00:00.000Z',
        '2018-11-01T06:00:00.000Z',
      ]);
      expect(grid.runs[1]?.states).toEqual(['success', 'success', 'success', 'success', 'success']);
      expect(grid.older).toBe('2018-11-01T05:00:00.000Z');
      const older = await json<Api.Grid>(await s.api(`/api/v1/dags/demo/grid?limit=2&before=${grid.older}`));
      expect(older.runs.map((r) => r.logical_date)).toEqual(['2018-11-01T03:00:00.000Z']);
      expect(older.older).toBeNull();
      expect((await s.api('/api/v1/dags/demo/grid?limit=100000')).status).toBe(400);

      const stats = await json<Api.RunStats>(await s.api('/api/v1/dags/demo/stats'));
      expect(stats.runs[0]).toMatchObject({
        logical_date: '2018-11-01T03:00:00.000Z',
        rows_staged: 7,
        rows_loaded: 5,
        checks_passed: 2,
        checks_failed: 0,
      });
    });
  });

  describe('backfills', () => {
    const body = { dag_id: 'demo', from_date: '2018-11-01T00:00:00Z', to_date: '2018-11-01T08:00:00Z' };
    let id = 0;

    it('previews a backfill, starts it, and reports its progress to the end', async () => {
      const preview = await json<Api.BackfillPreview>(
        await s.api('/api/v1/backfills/dry_run', { method: 'POST', body: JSON.stringify(body) }),
      );
      expect(preview.runs).toHaveLength(8);
      expect(preview.runs.filter((r) => r.action === 'skip').map((r) => r.logical_date)).toEqual([
        '2018-11-01T03:00:00.000Z',
        '2018-11-01T05:00:00.000Z',
        '2018-11-01T06:00:00.000Z',
      ]);
      const created = await s.api('/api/v1/backfills', { method: 'POST', body: JSON.stringify(body) });
      expect(created.status).toBe(201);
      id = (await json<Api.Backfill>(created)).id;
      const done = await eventually(async () => {
        const b = await json<Api.Backfill>(await s.api(`/api/v1/backfills/${id}`));
        return b.state !== 'running' ? b : undefined;
      });
      expect(done).toMatchObject({ state: 'success', progress: { total: 5, success: 5, failed: 0 } });
      const list = await json<Api.Page<Api.Backfill>>(await s.api('/api/v1/backfills?dag_id=demo'));
      expect(list.items.map((b) => b.id)).toContain(id);
      const cancel = await s.api(`/api/v1/backfills/${id}/cancel`, { method: 'POST' });
      expect(cancel.status).toBe(409);
      const nothing = await s.api('/api/v1/backfills', { method: 'POST', body: JSON.stringify(body) });
      expect(nothing.status).toBe(409);
    });

    it('rejects a bad backfill with the field named', async () => {
      for (const [bad, field] of [
        [{ ...body, to_date: '2018-10-01' }, 'to_date'],
        [{ ...body, from_date: 'last week' }, 'from_date'],
        [{ ...body, reprocess_behavior: 'all' }, 'reprocess_behavior'],
        [{ ...body, max_active_runs: 0 }, 'max_active_runs'],
        [{ ...body, dag_id: 7 }, 'dag_id'],
        [{ ...body, extra: true }, 'extra'],
      ] as const) {
        const response = await s.api('/api/v1/backfills/dry_run', {
          method: 'POST',
          body: JSON.stringify(bad),
        });
        expect(response.status, JSON.stringify(bad)).toBe(400);
        expect((await json<Api.ApiError>(response)).error.field).toBe(field);
      }
      expect(
        (
          await s.api('/api/v1/backfills', {
            method: 'POST',
            body: JSON.stringify({ ...body, dag_id: 'nope' }),
          })
        ).status,
      ).toBe(404);
      expect((await s.api('/api/v1/backfills/999999')).status).toBe(404);
      expect((await s.api('/api/v1/backfills/abc')).status).toBe(400);
    });
  });

  describe('connections, metrics, OpenAPI', () => {
    it('stores a connection and never returns its secret', async () => {
      const secret = 's3cr3t-Pa55';
      const created = await s.api('/api/v1/connections', {
        method: 'POST',
        body: JSON.stringify({ connection_id: 'warehouse_pg', uri: `postgres://etl:${secret}@db:5432/dw` }),
      });
      expect(created.status).toBe(201);
      const list = await s.api('/api/v1/connections');
      const text = await list.text();
      expect(text).toContain('warehouse_pg');
      expect(text).not.toContain(secret);
      for (const [bad, field] of [
        [{ connection_id: 'a b', uri: 'file:///x' }, 'connection_id'],
        [{ connection_id: 'ok', uri: 'no scheme' }, 'uri'],
        [{ connection_id: 'ok' }, 'uri'],
      ] as const) {
        const response = await s.api('/api/v1/connections', { method: 'POST', body: JSON.stringify(bad) });
        expect(response.status).toBe(400);
        expect((await json<Api.ApiError>(response)).error.field).toBe(field);
      }
      expect((await s.api('/api/v1/connections/warehouse_pg', { method: 'DELETE' })).status).toBe(204);
      expect((await s.api('/api/v1/connections/warehouse_pg', { method: 'DELETE' })).status).toBe(404);
    });

    it('reports runs, tasks, try durations and queue depth at /metrics', async () => {
      const text = await (await s.api('/metrics')).text();
      expect(text).toMatch(/^downbeat_dag_runs\{dag_id="demo",state="success"\} \d+$/m);
      expect(text).toMatch(/^downbeat_task_instances\{dag_id="demo",state="success"\} \d+$/m);
      expect(text).toMatch(
        /^downbeat_task_try_duration_seconds_count\{dag_id="demo",task_id="stage",state="success"\} \d+$/m,
      );
      expect(text).toMatch(/^downbeat_queue_depth\{kind="ready"\} \d+$/m);
      expect(text).toMatch(/^downbeat_scheduler_loop_seconds\{scheduler="[^"]+"\} [\d.e-]+$/m);
      expect(text).toMatch(/^downbeat_processes\{kind="worker"\} 1$/m);
      expect(text).toMatch(/^downbeat_processes\{kind="scheduler"\} 1$/m);
    });

    it('describes every route it serves in /api/v1/openapi.json', async () => {
      const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
        await s.api('/api/v1/openapi.json'),
      );
      const served = createApp({} as never)
        .routes.filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`);
      const described = Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m} ${path}`),
      );
      expect(new Set(served)).toEqual(new Set(described));
      expect(described).toHaveLength(ROUTES.length);
    });
  });
});

describe('basic credentials', () => {
  it('are what BASIC encodes', () => {
    expect(Buffer.from(BASIC.slice(6), 'base64').toString()).toBe(`${USER}:${PASSWORD}`);
  });
});
