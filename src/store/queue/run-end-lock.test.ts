import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, markDagRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { claimTasks } from './claim.ts';
import { endTry } from './end-try.ts';

const { default: diamond } = await import('../testing-dags/diamond.dag.ts');

const ok = (tiId: number, tryNumber: number, worker: string) => ({
  tiId,
  tryNumber,
  worker,
  state: 'success' as const,
  outcome: {},
  log: [`${worker} done`],
});

describe("ends of tries that lock their run's row (PostgreSQL)", () => {
  let t: TestDb;
  let runPk: number;
  beforeEach(async () => {
    t = await testDb('postgres');
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
    runPk = (await createRun(t.db, diamond, diamond.runFor(new Date('2018-11-01T00:00:00Z')), 0)) ?? 0;
    await startQueuedRuns(t.db, 0);
    const [a] = await claimTasks(t.db, 'w0', 1, 1);
    await endTry(t.db, ok(a?.tiId ?? 0, 1, 'w0'), 2);
  });
  afterEach(async () => {
    await t.drop();
  });

  const states = async () =>
    Object.fromEntries(
      (
        await t.db.query<{ task_id: string; state: string; upstream_done: number }>(
          'SELECT task_id, state, upstream_done FROM task_instances WHERE run_pk = $1',
          [runPk],
        )
      ).map((r) => [r.task_id, `${r.state}/${r.upstream_done}`]),
    );

  // Found by bench/scale-orchestration.ts: a DAG of 500 tasks with fan-in deadlocked again and again
  // (a task updated twice in one transaction share-locks its run's key).
  it('two upstream tries ending at once both land, and make their downstream ready once', async () => {
    const [b] = await claimTasks(t.db, 'w1', 1, 3);
    const [c] = await claimTasks(t.db, 'w2', 1, 3);
    const ends = await Promise.allSettled([
      endTry(t.db, ok(b?.tiId ?? 0, 1, 'w1'), 4),
      endTry(t.db, ok(c?.tiId ?? 0, 1, 'w2'), 4),
    ]);
    expect(ends.map((e) => e.status)).toEqual(['fulfilled', 'fulfilled']);
    const ready = ends.flatMap((e) =>
      e.status === 'fulfilled' && e.value.state === 'success' ? e.value.ready : [],
    );
    expect(ready).toEqual(['d']);
    expect(await states()).toEqual({ a: 'success/0', b: 'success/1', c: 'success/1', d: 'queued/2' });
    const log = await t.db.query<{ text: string }>(
      'SELECT text FROM task_log_lines WHERE ti_id IN ($1, $2) ORDER BY ti_id',
      [b?.tiId ?? 0, c?.tiId ?? 0],
    );
    expect(log.map((l) => l.text)).toEqual(['w1 done', 'w2 done']);
  });

  it('a run marked failed while its last tries end: every try lands or is stale, and the run ends once', async () => {
    const [b] = await claimTasks(t.db, 'w1', 1, 3);
    const [c] = await claimTasks(t.db, 'w2', 1, 3);
    const [endB, mark, endC] = await Promise.allSettled([
      endTry(t.db, ok(b?.tiId ?? 0, 1, 'w1'), 4),
      markDagRun(t.db, runPk, 'failed', 'tester', 4),
      endTry(t.db, ok(c?.tiId ?? 0, 1, 'w2'), 4),
    ]);
    expect([endB?.status, mark?.status, endC?.status]).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const [run] = await t.db.query<{ state: string }>('SELECT state FROM dag_runs WHERE id = $1', [runPk]);
    expect(run?.state).toBe('failed');
    expect(Object.values(await states()).every((s) => !s.startsWith('running'))).toBe(true);
  });
});
