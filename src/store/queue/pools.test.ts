import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag, type Dag, type Operator } from '../../dag/index.ts';
import { Worker } from '../../executor/index.ts';
import { until } from '../../app/testing.ts';
import { setPool } from '../admin/index.ts';
import { PostgresDb } from '../db/postgres-db.ts';
import type { Db } from '../db/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { claimTasks } from './index.ts';

const T0 = Date.parse('2018-11-01T00:00:00Z');
const HOUR = 3_600_000;
const noop: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };

/** Each try of a task, as [start, end] in this process's clock, by pool. */
const spans: { pool: string; start: number; end: number }[] = [];
const recording = (pool: string): Operator => ({
  kind: 'recording',
  describe: () => ({}),
  async execute() {
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    spans.push({ pool, start, end: performance.now() });
    return {};
  },
});
/** Two DAGs sharing the pool `warehouse`: four of its tasks each, and four others, side by side. */
const sharing = (id: string) =>
  dag({ id, schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 16 }, (d) => {
    for (let i = 0; i < 4; i += 1) {
      d.task(`load_${i}`, recording('warehouse'), { pool: 'warehouse' });
      d.task(`other_${i}`, recording('default_pool'));
    }
  });
const overlaps = (pool: string) => {
  const of = spans.filter((s) => s.pool === pool).sort((a, b) => a.start - b.start);
  return of.filter((s, i) => i > 0 && s.start < (of[i - 1]?.end ?? 0)).length;
};

async function sync(db: Db, dags: readonly Dag[]): Promise<void> {
  await syncDags(db, { dags: new Map(dags.map((d) => [d.id, d])), files: new Map(), errors: [] }, 0);
}

describe('a pool of 1 shared by two DAGs on PostgreSQL, three workers', () => {
  let t: TestDb;
  const workers: { worker: Worker; db: Db }[] = [];
  beforeEach(async () => {
    t = await testDb('postgres');
    spans.length = 0;
  });
  afterEach(async () => {
    for (const { worker, db } of workers.splice(0)) {
      await worker.stop();
      await db.close();
    }
    await t.drop();
  });

  it('never runs two of its tasks at once, while the others run side by side', async () => {
    const dags = [sharing('first'), sharing('second')];
    await sync(t.db, dags);
    await setPool(t.db, 'warehouse', 1, 'one at a time', 0);
    for (const d of dags)
      for (let h = 0; h < 3; h += 1)
        await createRun(t.db, d, d.runFor(new Date(T0 + h * HOUR), 'scheduled'), 0);
    await startQueuedRuns(t.db, Date.now());
    for (let i = 0; i < 3; i += 1) {
      // Each worker on its own connections, as on its own machine.
      const db = new PostgresDb(t.url);
      const worker = new Worker({
        db,
        dags: new Map(dags.map((d) => [d.id, d])),
        connectionsFor: () => ({}) as never,
        concurrency: 4,
        pollMs: 20,
      });
      workers.push({ worker, db });
      worker.start();
    }
    await until(async () => {
      const [row] = await t.db.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM dag_runs WHERE state = 'success'",
      );
      return Number(row?.n) === 6;
    }, 'the six runs to succeed');
    expect(spans.filter((s) => s.pool === 'warehouse')).toHaveLength(24);
    expect(overlaps('warehouse')).toBe(0);
    // The check can see an overlap: the tasks outside the pool had them.
    expect(overlaps('default_pool')).toBeGreaterThan(0);
  });
});

describe.each(['sqlite', 'postgres'] as const)('pools and priority weights in the claim on %s', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  afterEach(() => t.drop());

  it('claims a higher priorityWeight first, scheduled runs before backfill runs', async () => {
    const weighted = dag({ id: 'weighted', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
      d.task('low', noop, { priorityWeight: 1 });
      d.task('high', noop, { priorityWeight: 10 });
      d.task('middle', noop, { priorityWeight: 5 });
    });
    await sync(t.db, [weighted]);
    await createRun(t.db, weighted, weighted.runFor(new Date(T0), 'backfill'), 0);
    await createRun(t.db, weighted, weighted.runFor(new Date(T0 + HOUR), 'scheduled'), 0);
    await startQueuedRuns(t.db, 1);
    const claimed = await claimTasks(t.db, 'w', 6, 10);
    expect(claimed.map((c) => `${c.runType}:${c.taskId}`)).toEqual([
      'scheduled:high',
      'scheduled:middle',
      'scheduled:low',
      'backfill:high',
      'backfill:middle',
      'backfill:low',
    ]);
  });

  it('keeps to the slots a task takes; a missing or too small pool is claimed, to fail naming it', async () => {
    const pooled = dag({ id: 'pooled', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
      d.task('wide', noop, { pool: 'warehouse', poolSlots: 2, priorityWeight: 3 });
      d.task('narrow', noop, { pool: 'warehouse', priorityWeight: 2 });
      d.task('nowhere', noop, { pool: 'nope' });
      d.task('huge', noop, { pool: 'warehouse', poolSlots: 9 });
    });
    await sync(t.db, [pooled]);
    await setPool(t.db, 'warehouse', 2, undefined, 0);
    await createRun(t.db, pooled, pooled.runFor(new Date(T0), 'scheduled'), 0);
    await startQueuedRuns(t.db, 1);
    const first = await claimTasks(t.db, 'w', 10, 10);
    expect(first.map((c) => [c.taskId, c.poolProblem?.code])).toEqual([
      ['wide', undefined],
      ['nowhere', 'pool_not_found'],
      ['huge', 'pool_too_small'],
    ]);
    // `wide` holds both slots: `narrow` waits for them.
    expect(await claimTasks(t.db, 'w', 10, 11)).toEqual([]);
  });

  it('fails a task whose pool does not exist when it is due, naming the DAG, the task and the pool', async () => {
    const lost = dag({ id: 'lost', schedule: null, startDate: '2018-11-01' }, (d) =>
      d.task('load', noop, { pool: 'warehouse' }),
    );
    await sync(t.db, [lost]);
    await createRun(t.db, lost, lost.runFor(new Date(T0)), 0);
    await startQueuedRuns(t.db, Date.now());
    const worker = new Worker({
      db: t.db,
      dags: new Map([['lost', lost]]),
      connectionsFor: () => ({}) as never,
      pollMs: 20,
    });
    worker.start();
    try {
      await until(async () => {
        const [row] = await t.db.query<{ state: string }>('SELECT state FROM dag_runs');
        return row?.state === 'failed';
      }, 'the run to fail');
    } finally {
      await worker.stop();
    }
    const [tried] = await t.db.query<{ error_code: string; error_message: string }>(
      'SELECT error_code, error_message FROM task_tries',
    );
    expect(tried).toEqual({
      error_code: 'pool_not_found',
      error_message:
        'task lost.load: pool "warehouse" does not exist (pools: default_pool); create it with downbeat pools set warehouse SLOTS',
    });
  });
});
