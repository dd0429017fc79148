import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag, type Operator } from '../../dag/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { claimTasks, endTry } from '../queue/index.ts';
import { clearTasks, createRun, releaseHeldTasks, startQueuedRuns, syncDags } from './index.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const HOUR = 3_600_000;
const T0 = Date.parse('2018-11-01T00:00:00Z');
const hourly = dag({ id: 'hourly', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 4 }, (d) =>
  d.chain(d.task('extract', op), d.task('load', op, { dependsOnPast: true }), d.task('report', op)),
);
const waiting = dag({ id: 'waiting', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 4 }, (d) =>
  d.chain(d.task('load', op, { waitForDownstream: true }), d.task('check', op)),
);

describe.each(['sqlite', 'postgres'] as const)('dependsOnPast on %s', (dialect) => {
  let t: TestDb;
  let now = 1;
  beforeEach(async () => {
    t = await testDb(dialect);
    const dags = new Map([
      ['hourly', hourly],
      ['waiting', waiting],
    ]);
    await syncDags(t.db, { dags, files: new Map(), errors: [] }, 0);
  });
  afterEach(() => t.drop());

  /** Runs what is ready (failing `fail`: "task@hour"), the scheduler's release included, until nothing is. */
  async function work(fail: readonly string[] = []) {
    for (;;) {
      await startQueuedRuns(t.db, (now += 1));
      await releaseHeldTasks(t.db, (now += 1));
      const claimed = await claimTasks(t.db, 'w', 10, (now += 1));
      if (claimed.length === 0) return;
      for (const task of claimed) {
        const hour = (task.logicalDate - T0) / HOUR;
        const state = fail.includes(`${task.taskId}@${hour}`) ? 'failed' : 'success';
        await endTry(t.db, { ...task, worker: 'w', state, outcome: {}, log: [] }, (now += 1));
      }
    }
  }
  const stateOf = async (dagId: string, hour: number, taskId: string) =>
    (
      await t.db.query<{ state: string }>(
        `SELECT ti.state FROM task_instances ti JOIN dag_runs r ON r.id = ti.run_pk
         WHERE r.dag_id = $1 AND r.logical_date = $2 AND ti.task_id = $3`,
        [dagId, T0 + hour * HOUR, taskId],
      )
    )[0]?.state;

  it("holds the next hour's task while this hour's failed, until it is cleared and succeeds", async () => {
    const pks: number[] = [];
    for (const h of [0, 1])
      pks.push((await createRun(t.db, hourly, hourly.runFor(new Date(T0 + h * HOUR)), 0)) ?? -1);
    await work(['load@0']);
    expect(await stateOf('hourly', 0, 'load')).toBe('failed');
    expect(await stateOf('hourly', 1, 'extract')).toBe('success');
    expect(await stateOf('hourly', 1, 'load')).toBe('scheduled'); // held: the first run is exempt, not the second
    await clearTasks(t.db, pks[0] ?? -1, ['load'], { downstream: true });
    await work();
    expect(await stateOf('hourly', 0, 'report')).toBe('success');
    expect(await stateOf('hourly', 1, 'load')).toBe('success');
    expect(await stateOf('hourly', 1, 'report')).toBe('success');
  });

  it("with waitForDownstream, waits for the previous hour's downstream task too", async () => {
    for (const h of [0, 1]) await createRun(t.db, waiting, waiting.runFor(new Date(T0 + h * HOUR)), 0);
    await work(['check@0']);
    expect(await stateOf('waiting', 0, 'load')).toBe('success');
    expect(await stateOf('waiting', 1, 'load')).toBe('scheduled');
  });
});
