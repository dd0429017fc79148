import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag, type Operator } from '../../dag/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, syncDags } from './index.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
// More tasks than one INSERT slice holds (1,000): a chain's head, then 1,000 tasks below it.
const wide = dag(
  { id: 'wide', schedule: null, startDate: '2018-11-01', defaultArgs: { retries: 2, retryDelay: '1m' } },
  (d) => {
    d.task('head', op);
    for (let i = 0; i < 1000; i += 1) d.task(`t${i}`, op, { upstream: ['head'], timeout: '5m' });
  },
);

describe.each(['sqlite', 'postgres'] as const)('createRun (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(t.db, { dags: new Map([['wide', wide]]), files: new Map(), errors: [] }, 0);
  });
  afterEach(async () => {
    await t.drop();
  });

  it("writes every task instance of a run, with its task's settings, past one INSERT's slice", async () => {
    const pk = await createRun(t.db, wide, wide.runFor(new Date('2018-11-01T00:00:00Z'), 'backfill'), 0);
    const rows = await t.db.query<Record<string, unknown>>(
      `SELECT task_id, state, retries, retry_delay_ms, timeout_ms, priority, upstream_total, upstream_done, downstream
       FROM task_instances WHERE run_pk = $1 AND task_id IN ('head', 't999')`,
      [pk ?? 0],
    );
    const [{ n }] = (await t.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM task_instances WHERE run_pk = $1',
      [pk ?? 0],
    )) as [{ n: number }];
    expect(Number(n)).toBe(1001);
    const byId: Record<string, Record<string, unknown>> = Object.fromEntries(
      rows.map((r) => [String(r.task_id), r]),
    );
    expect(byId.head).toMatchObject({
      state: 'scheduled',
      retries: 2,
      retry_delay_ms: 60_000,
      upstream_total: 0,
    });
    expect(JSON.parse(String(byId.head?.downstream))).toHaveLength(1000);
    expect(byId.t999).toMatchObject({
      upstream_total: 1,
      upstream_done: 0,
      timeout_ms: 300_000,
      priority: 10,
    });
  });
});
