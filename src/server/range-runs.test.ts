import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Api from './api/types.ts';
import { testServer, type TestServer } from './testing.ts';

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe.each(['sqlite', 'postgres'] as const)('range runs in the API on %s', (dialect) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await testServer(dialect);
  });
  afterAll(() => s.close());
  const send = (method: string, path: string, body?: unknown) =>
    s.api(`/api/v1${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const body = {
    dag_id: 'demo',
    from_date: '2018-11-02T00:00:00Z',
    to_date: '2018-11-02T06:00:00Z',
    max_intervals_per_run: 3,
  };

  it('previews, runs and lists a backfill in range runs; every count is of intervals', async () => {
    const preview = await json<Api.BackfillPreview>(await send('POST', '/backfills/dry_run', body));
    expect(preview.range_runs).toEqual([
      { from_date: '2018-11-02T00:00:00.000Z', to_date: '2018-11-02T03:00:00.000Z', intervals: 3 },
      { from_date: '2018-11-02T03:00:00.000Z', to_date: '2018-11-02T06:00:00.000Z', intervals: 3 },
    ]);
    const created = await send('POST', '/backfills', body);
    expect(created.status).toBe(201);
    const { id } = await json<Api.Backfill>(created);
    let backfill: Api.Backfill | undefined;
    for (let i = 0; i < 300 && backfill?.state !== 'success'; i += 1) {
      backfill = await json<Api.Backfill>(await send('GET', `/backfills/${id}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(backfill).toMatchObject({ max_intervals_per_run: 3, progress: { total: 6, success: 6 } });

    const runs = await json<Api.Page<Api.DagRun>>(
      await send('GET', '/dags/demo/dagRuns?logical_date_gte=2018-11-02T00:00:00Z'),
    );
    expect(runs.total_entries).toBe(6);
    expect(runs.items.every((r) => r.kind === 'interval' && r.range_run_id?.startsWith('range__'))).toBe(
      true,
    );
    const ranges = await json<Api.Page<Api.DagRun>>(await send('GET', '/dags/demo/dagRuns?range_runs=true'));
    expect(ranges.items.map((r) => [r.kind, r.intervals, r.state])).toEqual([
      ['range', 3, 'success'],
      ['range', 3, 'success'],
    ]);
    // A covered hour shows its range run's task instances, and its grid row names the range.
    const hour = runs.items.find((r) => r.logical_date === '2018-11-02T04:00:00.000Z');
    const tasks = await json<Api.Page<Api.TaskInstance>>(
      await send('GET', `/dags/demo/dagRuns/${encodeURIComponent(hour?.dag_run_id ?? '')}/taskInstances`),
    );
    expect(tasks.items.map((t) => t.state)).toEqual(Array(5).fill('success'));
    // Its rows are only those given per interval (the demo's load gives its range's total: none).
    const checks = await json<Api.RunChecks>(
      await send('GET', `/dags/demo/dagRuns/${encodeURIComponent(hour?.dag_run_id ?? '')}/checks`),
    );
    expect(checks.rows).toEqual({});
    expect(checks.checks.every((c) => c.for_range)).toBe(true);
    const grid = await json<Api.Grid>(await send('GET', '/dags/demo/grid?limit=500'));
    expect(grid.runs.find((r) => r.dag_run_id === hour?.dag_run_id)?.range_run_id).toBe(hour?.range_run_id);
    // A range run is cleared through its intervals, not itself.
    const refused = await send(
      'POST',
      `/dags/demo/dagRuns/${encodeURIComponent(ranges.items[0]?.dag_run_id ?? '')}/clear`,
      {},
    );
    expect(refused.status).toBe(400);
    expect((await json<Api.ApiError>(refused)).error.message).toContain('is a range run');
  });

  it('refuses a bad max_intervals_per_run, naming the field', async () => {
    for (const bad of [0, 1.5, 'some', true]) {
      const response = await send('POST', '/backfills/dry_run', { ...body, max_intervals_per_run: bad });
      expect(response.status, String(bad)).toBe(400);
      expect((await json<Api.ApiError>(response)).error.field).toBe('max_intervals_per_run');
    }
    const all = await json<Api.BackfillPreview>(
      await send('POST', '/backfills/dry_run', {
        ...body,
        from_date: '2018-11-03T00:00:00Z',
        to_date: '2018-11-03T05:00:00Z',
        max_intervals_per_run: 'all',
      }),
    );
    expect(all.range_runs.map((r) => r.intervals)).toEqual([5]);
  });
});
