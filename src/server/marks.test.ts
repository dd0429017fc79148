import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { eventually, switches, testServer, USER, type TestServer } from './testing.ts';

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe.each(['sqlite', 'postgres'] as const)('mark and clear in the API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect);
  });
  afterAll(async () => {
    switches.failing = false;
    switches.released = true;
    await s.close();
  });
  const runPath = (dag: string, runId: string) => `/api/v1/dags/${dag}/dagRuns/${encodeURIComponent(runId)}`;
  async function runToEnd(dag: string, logicalDate: string): Promise<Api.DagRun> {
    const run = await json<Api.DagRun>(
      await s.api(`/api/v1/dags/${dag}/dagRuns`, {
        method: 'POST',
        body: JSON.stringify({ logical_date: logicalDate }),
      }),
    );
    return eventually(async () => {
      const now = await json<Api.DagRun>(await s.api(runPath(dag, run.dag_run_id)));
      return now.state === 'success' || now.state === 'failed' ? now : undefined;
    });
  }
  const patch = (path: string, body: unknown) => s.api(path, { method: 'PATCH', body: JSON.stringify(body) });

  it('marks a failed task success: its downstream runs and the run succeeds; who did it is kept', async () => {
    switches.failing = true;
    const failed = await runToEnd('demo', '2018-11-02T01:00:00Z');
    expect(failed.state).toBe('failed');
    switches.failing = false;
    const marked = await patch(`${runPath('demo', failed.dag_run_id)}/taskInstances/check`, {
      new_state: 'success',
    });
    expect(marked.status).toBe(200);
    expect(await json<Api.TaskInstance>(marked)).toMatchObject({
      task_id: 'check',
      state: 'success',
      marked_by: USER,
    });
    const done = await eventually(async () => {
      const now = await json<Api.DagRun>(await s.api(runPath('demo', failed.dag_run_id)));
      return now.state === 'success' ? now : undefined;
    });
    const tis = await json<Api.Page<Api.TaskInstance>>(
      await s.api(`${runPath('demo', done.dag_run_id)}/taskInstances`),
    );
    expect(tis.items.find((t) => t.task_id === 'end')?.state).toBe('success');
  });

  it('marks a run failed, and refuses a bad state naming the field, and a running task', async () => {
    const run = await runToEnd('demo', '2018-11-02T02:00:00Z');
    const failed = await patch(runPath('demo', run.dag_run_id), { state: 'failed' });
    expect(await json<Api.DagRun>(failed)).toMatchObject({ state: 'failed', marked_by: USER });
    const bad = await patch(runPath('demo', run.dag_run_id), { state: 'done' });
    expect(bad.status).toBe(400);
    expect((await json<Api.ApiError>(bad)).error).toMatchObject({ field: 'state' });

    switches.released = false;
    const slow = await json<Api.DagRun>(
      await s.api('/api/v1/dags/slow/dagRuns', {
        method: 'POST',
        body: JSON.stringify({ logical_date: '2018-11-03T00:00:00Z' }),
      }),
    );
    await eventually(async () => {
      const ti = await json<Api.TaskInstance>(
        await s.api(`${runPath('slow', slow.dag_run_id)}/taskInstances/long`),
      );
      return ti.state === 'running';
    });
    const refused = await patch(`${runPath('slow', slow.dag_run_id)}/taskInstances/long`, {
      new_state: 'success',
    });
    expect(refused.status).toBe(409);
    expect((await json<Api.ApiError>(refused)).error.message).toContain('task long of');
    switches.released = true;
  });

  it('lists with include_future what a clear would do in later runs too, and clears nothing on a dry run', async () => {
    const first = await runToEnd('demo', '2018-11-04T01:00:00Z');
    await runToEnd('demo', '2018-11-04T02:00:00Z');
    const dry = await json<Api.ClearResult>(
      await s.api('/api/v1/dags/demo/clearTaskInstances', {
        method: 'POST',
        body: JSON.stringify({
          dag_run_id: first.dag_run_id,
          task_ids: ['load'],
          include_upstream: true,
          include_future: true,
          dry_run: true,
        }),
      }),
    );
    const byRun = new Map<string, string[]>();
    for (const ti of dry.task_instances)
      byRun.set(ti.dag_run_id, [...(byRun.get(ti.dag_run_id) ?? []), ti.task_id]);
    expect(byRun.get(first.dag_run_id)?.sort()).toEqual(['begin', 'load', 'stage']);
    expect(byRun.get('manual__2018-11-04T02:00:00.000Z')?.sort()).toEqual(['begin', 'load', 'stage']);
    expect((await json<Api.DagRun>(await s.api(runPath('demo', first.dag_run_id)))).state).toBe('success');
  });
});
