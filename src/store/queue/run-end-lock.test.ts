import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../db/testing.ts';
import { completeRunIfDone, createRun, startQueuedRuns, syncDags } from '../runs/index.ts';

const { default: diamond } = await import('../testing-dags/diamond.dag.ts');

describe("ends of tries that lock their run's row (PostgreSQL)", () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb('postgres');
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
  });
  afterEach(async () => {
    await t.drop();
  });

  // Found by bench/scale-orchestration.ts: a DAG of 500 tasks with fan-in deadlocked again and again.
  it('do not deadlock when each has updated a task instance twice (its foreign key share-locks the run)', async () => {
    const runPk = (await createRun(t.db, diamond, diamond.runFor(new Date('2018-11-01T00:00:00Z')), 0)) ?? 0;
    await startQueuedRuns(t.db, 0);
    let arrived = 0;
    let release: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    // As endTry does when a try's end makes a downstream task ready: its upstream count, then its
    // state. The second update of a row this transaction wrote checks the foreign key to dag_runs.
    const end = (taskId: string) =>
      t.db.transaction(async (tx) => {
        for (const set of ['upstream_done = upstream_done', "ready_at = 0, state = 'queued'"])
          await tx.execute(`UPDATE task_instances SET ${set} WHERE run_pk = $1 AND task_id = $2`, [
            runPk,
            taskId,
          ]);
        arrived += 1;
        if (arrived === 2) release();
        await barrier;
        return completeRunIfDone(tx, runPk, 1);
      });
    const results = await Promise.allSettled([end('b'), end('c')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  });
});
