/**
 * A deadline miss as the API shows it: on the run, in the grid, in the DAG list (the UI's badges)
 * and counted in /metrics. The miss itself is found by the scheduler (scheduler/deadlines.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, decideDeadlines } from '../store/runs/index.ts';
import type * as Api from './api/types.ts';
import { demoDag, testServer, type TestServer } from './testing.ts';

describe('a run past its deadline, through the API', () => {
  let s: TestServer;
  const now = Date.parse('2026-12-04T12:00:00Z');
  beforeAll(async () => {
    s = await testServer('sqlite', { engine: false, now: () => now });
    // Two scheduled hours, queued and never run: the older one's deadline (0 ms after its end) has passed.
    for (const hour of ['2026-12-04T10:00:00Z', '2026-12-04T11:00:00Z'])
      await createRun(s.db, demoDag, demoDag.runFor(new Date(hour), 'scheduled'), now);
    expect(await decideDeadlines(s.db, 'demo', 30 * 60_000, now)).toHaveLength(1);
  });
  afterAll(() => s.close());

  it('shows the miss on the run, in the grid and in the DAG list, and counts it', async () => {
    const runs = (await (await s.api('/api/v1/dags/demo/dagRuns')).json()) as Api.Page<Api.DagRun>;
    const byDate = new Map(runs.items.map((r) => [r.logical_date, r]));
    expect(byDate.get('2026-12-04T10:00:00.000Z')?.deadline_missed_at).toBe('2026-12-04T12:00:00.000Z');
    expect(byDate.get('2026-12-04T11:00:00.000Z')?.deadline_missed_at).toBeNull();

    const grid = (await (await s.api('/api/v1/dags/demo/grid')).json()) as Api.Grid;
    expect(grid.runs.map((r) => [r.logical_date, r.deadline_missed])).toEqual([
      ['2026-12-04T10:00:00.000Z', true],
      ['2026-12-04T11:00:00.000Z', false],
    ]);

    const dags = (await (await s.api('/api/v1/dags')).json()) as Api.Page<Api.DagSummary>;
    const demo = dags.items.find((d) => d.dag_id === 'demo');
    expect(demo?.recent_runs.map((r) => r.deadline_missed)).toEqual([false, true]);

    const metrics = await (await s.api('/metrics')).text();
    expect(metrics).toContain('# TYPE downbeat_deadline_misses_total counter');
    expect(metrics).toContain('downbeat_deadline_misses_total{dag_id="demo"} 1');
  });
});
