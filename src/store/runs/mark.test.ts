import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag, type Operator } from '../../dag/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { claimTasks, endTry } from '../queue/index.ts';
import {
  clearAcrossRuns,
  createRun,
  markDagRun,
  markTaskInstance,
  startQueuedRuns,
  syncDags,
} from './index.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const chain = dag({ id: 'chain', schedule: '@hourly', startDate: '2018-11-01' }, (d) =>
  d.chain(d.task('a', op), d.task('b', op), d.task('c', op)),
);
const HOUR = 3_600_000;
const T0 = Date.parse('2018-11-01T00:00:00Z');

describe.each(['sqlite', 'postgres'] as const)('marking and clearing on %s', (dialect) => {
  let t: TestDb;
  let now = 1;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(t.db, { dags: new Map([['chain', chain]]), files: new Map(), errors: [] }, 0);
  });
  afterEach(() => t.drop());

  /** Runs every ready task of the queue, `fail` ones failing, until nothing is ready. */
  async function work(fail: readonly string[] = []) {
    for (;;) {
      await startQueuedRuns(t.db, (now += 1));
      const claimed = await claimTasks(t.db, 'w', 10, (now += 1));
      if (claimed.length === 0) return;
      for (const task of claimed) {
        const state = fail.includes(task.taskId) ? 'failed' : 'success';
        await endTry(t.db, { ...task, worker: 'w', state, outcome: {}, log: [] }, (now += 1));
      }
    }
  }
  const states = async (runPk: number) =>
    Object.fromEntries(
      (
        await t.db.query<{ task_id: string; state: string }>(
          'SELECT task_id, state FROM task_instances WHERE run_pk = $1',
          [runPk],
        )
      ).map((r) => [r.task_id, r.state]),
    );
  const runState = async (runPk: number) =>
    (
      await t.db.query<{ state: string; marked_by: string | null }>(
        'SELECT state, marked_by FROM dag_runs WHERE id = $1',
        [runPk],
      )
    )[0];

  it('marked success, a failed task lets its downstream run and the run succeed, recorded with who', async () => {
    const pk = (await createRun(t.db, chain, chain.runFor(new Date(T0)), 0)) ?? -1;
    await work(['b']);
    expect(await states(pk)).toEqual({ a: 'success', b: 'failed', c: 'upstream_failed' });
    expect((await runState(pk))?.state).toBe('failed');

    expect(await markTaskInstance(t.db, pk, 'b', 'success', 'ada', (now += 1))).toEqual({
      marked: ['b', 'c'],
    });
    expect(await states(pk)).toEqual({ a: 'success', b: 'success', c: 'queued' });
    expect((await runState(pk))?.state).toBe('running');
    await work();
    expect(await states(pk)).toEqual({ a: 'success', b: 'success', c: 'success' });
    expect((await runState(pk))?.state).toBe('success');
    const [marked] = await t.db.query<{ marked_by: string }>(
      "SELECT marked_by FROM task_instances WHERE run_pk = $1 AND task_id = 'b'",
      [pk],
    );
    expect(marked?.marked_by).toBe('ada');
  });

  it('marked failed, a task fails its downstream and its run; a running one is refused', async () => {
    const pk = (await createRun(t.db, chain, chain.runFor(new Date(T0)), 0)) ?? -1;
    await startQueuedRuns(t.db, (now += 1));
    const [running] = await claimTasks(t.db, 'w', 1, (now += 1));
    expect(await markTaskInstance(t.db, pk, 'a', 'failed', 'ada', (now += 1))).toEqual({ running: 'a' });
    await endTry(
      t.db,
      { ...(running ?? never()), worker: 'w', state: 'success', outcome: {}, log: [] },
      (now += 1),
    );
    expect(await markTaskInstance(t.db, pk, 'b', 'failed', 'ada', (now += 1))).toEqual({ marked: ['b'] });
    expect(await states(pk)).toEqual({ a: 'success', b: 'failed', c: 'upstream_failed' });
    expect((await runState(pk))?.state).toBe('failed');
  });

  it('marks a whole run: success marks every task, failed fails the unfinished and skips the rest', async () => {
    const one = (await createRun(t.db, chain, chain.runFor(new Date(T0)), 0)) ?? -1;
    await markDagRun(t.db, one, 'success', 'ada', (now += 1));
    expect(await states(one)).toEqual({ a: 'success', b: 'success', c: 'success' });
    expect(await runState(one)).toEqual({ state: 'success', marked_by: 'ada' });

    const two = (await createRun(t.db, chain, chain.runFor(new Date(T0 + HOUR)), 0)) ?? -1;
    await startQueuedRuns(t.db, (now += 1));
    await markDagRun(t.db, two, 'failed', 'ada', (now += 1));
    expect(await states(two)).toEqual({ a: 'failed', b: 'skipped', c: 'skipped' });
    expect((await runState(two))?.state).toBe('failed');
  });

  it('clears with --future the same tasks of every later run, and with --past of every earlier one', async () => {
    const pks: number[] = [];
    for (const h of [0, 1, 2])
      pks.push((await createRun(t.db, chain, chain.runFor(new Date(T0 + h * HOUR)), 0)) ?? -1);
    await work();
    const [first, middle, last] = pks;
    const future = await t.db.transaction((tx) => clearAcrossRuns(tx, middle ?? -1, ['b'], { future: true }));
    expect(future.map((r) => [r.runId.slice(-13, -8), r.cleared])).toEqual([
      ['01:00', ['b']],
      ['02:00', ['b']],
    ]);
    expect(await states(first ?? -1)).toEqual({ a: 'success', b: 'success', c: 'success' });
    expect(await states(last ?? -1)).toMatchObject({ b: 'scheduled' });
    await work();
    const past = await t.db.transaction((tx) =>
      clearAcrossRuns(tx, middle ?? -1, ['b'], { past: true, upstream: true, downstream: true }),
    );
    expect(past.map((r) => [r.runId.slice(-13, -8), r.cleared.sort()])).toEqual([
      ['00:00', ['a', 'b', 'c']],
      ['01:00', ['a', 'b', 'c']],
    ]);
  });
});

function never(): never {
  throw new Error('nothing was claimed');
}
