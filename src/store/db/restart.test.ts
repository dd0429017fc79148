import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dag, type Operator } from '../../dag/index.ts';
import { Worker } from '../../executor/index.ts';
import { Scheduler } from '../../scheduler/index.ts';
import { createRun, syncDags } from '../runs/index.ts';
import { migrate } from './index.ts';
import { PostgresDb } from './postgres-db.ts';
import { startOwnCluster, type OwnCluster } from './own-cluster.ts';

let cluster: OwnCluster;
beforeAll(() => {
  cluster = startOwnCluster();
});
afterAll(() => cluster.stop());

const slow: Operator = {
  kind: 'slow',
  describe: () => ({}),
  execute: () => new Promise((resolve) => setTimeout(() => resolve({}), 20)),
};
const wide = dag({ id: 'wide', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 10 }, (d) => {
  for (let i = 0; i < 30; i += 1) d.task(`t${i}`, slow);
});

describe('the metadata DB restarted under load', () => {
  it('loses no task: workers and the scheduler reconnect and every run succeeds', async () => {
    const db = new PostgresDb(cluster.url);
    await migrate(db);
    const dags = new Map([['wide', wide]]);
    await syncDags(db, { dags, files: new Map(), errors: [] }, Date.now());
    for (let i = 0; i < 10; i += 1)
      await createRun(db, wide, wide.runFor(new Date(Date.UTC(2018, 10, 1, i))), Date.now());
    const workerDb = new PostgresDb(cluster.url);
    const worker = new Worker({
      db: workerDb,
      dags,
      connectionsFor: () => ({}) as never,
      concurrency: 8,
      pollMs: 100,
    });
    const scheduler = new Scheduler({ db, dags, loopMs: 100, onWork: () => worker.wake() });
    worker.start();
    scheduler.start();
    const done = async () =>
      Number(
        (await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM task_instances WHERE state = 'success'"))[0]
          ?.n,
      );
    for (let i = 0; i < 200 && (await done()) < 60; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await done()).toBeLessThan(300);
    cluster.restart();
    let states: { state: string; n: number }[] = [];
    for (let i = 0; i < 600; i += 1) {
      try {
        states = await db.query<{ state: string; n: number }>(
          'SELECT state, COUNT(*) AS n FROM dag_runs GROUP BY state',
        );
        if (states.length === 1 && states[0]?.state === 'success') break;
      } catch {
        // the server is still coming back
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await scheduler.stop();
    await worker.stop();
    expect(states).toEqual([{ state: 'success', n: 10 }]);
    const tries = await db.query<{ state: string; n: number }>(
      'SELECT state, COUNT(*) AS n FROM task_tries GROUP BY state ORDER BY state',
    );
    // Every task succeeded once; a try cut off by the restart may show as lost, never as a failure.
    expect(tries.filter((t) => t.state === 'failed')).toEqual([]);
    expect(tries.find((t) => t.state === 'success')?.n).toBe(300);
    await db.close();
    await workerDb.close();
  });
});
