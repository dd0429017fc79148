import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_CASES, outcomeOf, tryOutcome, type LifecycleCase } from '../../lifecycle/testing.ts';
import type { Db } from '../db/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { claimTasks, endTry } from './index.ts';

/**
 * Runs a case's run through the queue as workers would — claim what is ready, end each try as the
 * case's work says — with the clock moved past each retry's delay; returns the states it ends in.
 */
async function runThroughQueue(db: Db, c: LifecycleCase, logicalDate: Date) {
  await syncDags(db, { dags: new Map([[c.dag.id, c.dag]]), files: new Map(), errors: [] }, 0);
  const runPk = (await createRun(db, c.dag, c.dag.runFor(logicalDate, 'manual'), 0)) ?? -1;
  let now = 1;
  for (let step = 0; step < 100; step += 1) {
    await startQueuedRuns(db, now);
    const claimed = await claimTasks(db, 'case-worker', 100, now);
    if (claimed.length === 0) {
      const [run] = await db.query<{ state: string }>('SELECT state FROM dag_runs WHERE id = $1', [runPk]);
      if (run?.state === 'success' || run?.state === 'failed') break;
      now += 10 * 60_000; // past any retry's delay
      continue;
    }
    for (const task of claimed) {
      const state = tryOutcome(c.work[task.taskId], task.tryNumber);
      const outcome = state === 'failed' ? {} : outcomeOf(c.work[task.taskId]);
      await endTry(db, { ...task, worker: 'case-worker', state, outcome, log: [] }, now);
    }
    now += 1;
  }
  const rows = await db.query<{ task_id: string; state: string }>(
    'SELECT task_id, state FROM task_instances WHERE run_pk = $1',
    [runPk],
  );
  const [run] = await db.query<{ state: string }>('SELECT state FROM dag_runs WHERE id = $1', [runPk]);
  return { tasks: Object.fromEntries(rows.map((r) => [r.task_id, r.state])), run: run?.state };
}

describe.each(['sqlite', 'postgres'] as const)('the lifecycle cases, through the queue on %s', (dialect) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await testDb(dialect);
  });
  afterAll(async () => t.drop());

  it.each(LIFECYCLE_CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_, c, i) => {
    // One DB for the table: each case a run of its own, at its own logical date.
    const logicalDate = new Date(Date.UTC(2018, 10, 1, i));
    expect(await runThroughQueue(t.db, c, logicalDate)).toEqual(c.expected);
  });
});
