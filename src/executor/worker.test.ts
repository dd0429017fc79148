import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../app/testing.ts';
import { systemClock, type Clock } from '../clock/index.ts';
import { dag, type Operator } from '../dag/index.ts';
import type { MetadataDialect } from '../store/db/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { createRun, startQueuedRuns, syncDags } from '../store/runs/index.ts';
import { Worker } from './worker.ts';

/** A clock a millisecond further on at each reading: two stamps are equal only if taken at one reading. */
function tickingClock(): Clock {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => (now += 1), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

const pause = (ms: number): Operator => ({
  kind: 'pause',
  describe: () => ({}),
  execute: () => new Promise((resolve) => setTimeout(() => resolve({}), ms)),
});

const chain = dag({ id: 'chain', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
  d.chain(d.task('a', pause(5)), d.task('b', pause(5)), d.task('c', pause(5)), d.task('d', pause(5)));
});

describe.each<MetadataDialect>(['sqlite', 'postgres'])('a worker (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
  });
  /** One run of `d`, started. */
  const runOf = async (d: typeof chain) => {
    await syncDags(t.db, { dags: new Map([[d.id, d]]), files: new Map(), errors: [] }, 0);
    await createRun(t.db, d, d.runFor(new Date('2018-11-01T00:00:00Z')), 0);
    await startQueuedRuns(t.db, 0);
  };
  afterEach(() => t.drop());

  const tries = () =>
    t.db.query<{ task_id: string; state: string; started_at: number; ended_at: number | null }>(
      `SELECT i.task_id, y.state, y.started_at, y.ended_at FROM task_tries y JOIN task_instances i ON i.id = y.ti_id
       ORDER BY y.started_at`,
    );

  it("claims a task's downstream in the transaction that ends it: one reading of the clock for both", async () => {
    await runOf(chain);
    const worker = new Worker({
      db: t.db,
      dags: new Map([['chain', chain]]),
      connectionsFor: () => ({}) as never,
      concurrency: 1,
      clock: tickingClock(),
      // Left to itself, the loop would look again only after a minute: the ends must claim.
      pollMs: 60_000,
    });
    worker.start();
    await until(async () => (await tries()).filter((y) => y.state === 'success').length === 4, 'the chain');
    await worker.stop();
    const ends = await tries();
    expect(ends.map((y) => y.task_id)).toEqual(['a', 'b', 'c', 'd']);
    for (let i = 1; i < ends.length; i += 1) expect(ends[i]?.started_at).toBe(ends[i - 1]?.ended_at);
  });

  it('waits, when stopped, for the tries its last ends claimed', async () => {
    let stopped: Promise<void> | undefined;
    // a's success callback takes a while: the worker's loop has stopped long before a's slot is
    // handed to b, which a's end claimed.
    const slow = dag({ id: 'slow', schedule: '@hourly', startDate: '2018-11-01' }, (d) => {
      d.chain(
        d.task('a', pause(5), { onSuccess: () => new Promise((resolve) => setTimeout(resolve, 200)) }),
        d.task('b', pause(50)),
      );
    });
    await runOf(slow);
    const worker: Worker = new Worker({
      db: t.db,
      dags: new Map([['slow', slow]]),
      connectionsFor: () => ({}) as never,
      concurrency: 1,
      // Stopped as a's end lands, which has claimed b in the same transaction.
      onTryEnd: (task) => {
        if (task.taskId === 'a') stopped = worker.stop();
      },
    });
    worker.start();
    await until(() => Promise.resolve(stopped !== undefined), "a's end");
    await stopped;
    const after = await tries();
    expect(after.map((y) => [y.task_id, y.state])).toEqual([
      ['a', 'success'],
      ['b', 'success'],
    ]);
  });
});
