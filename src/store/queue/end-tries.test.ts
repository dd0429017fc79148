import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dag } from '../../dag/index.ts';
import { noop } from '../../operators/index.ts';
import type { MetadataDialect } from '../db/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { createRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { claimTasks } from './claim.ts';
import { endTriesAndClaim, type HandedEnd } from './end-try.ts';

/** Three leaves and a task below two of them: a → x, b → x, c. */
const fan = dag({ id: 'fan', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 2 }, (d) => {
  d.chain([d.task('a', noop()), d.task('b', noop())], d.task('x', noop()));
  d.task('c', noop());
});

describe.each<MetadataDialect>(['sqlite', 'postgres'])('ends written together (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(t.db, { dags: new Map([['fan', fan]]), files: new Map(), errors: [] }, 0);
    for (const hour of [0, 1])
      await createRun(t.db, fan, fan.runFor(new Date(Date.UTC(2018, 10, 1, hour))), 0);
    await startQueuedRuns(t.db, 0);
  });
  afterEach(() => t.drop());

  const success = (tiId: number, tryNumber: number, leaf: boolean, runPk: number): HandedEnd => ({
    tiId,
    tryNumber,
    worker: 'w',
    runPk,
    leaf,
    state: 'success',
    outcome: {},
    log: ['done'],
  });
  const states = async () =>
    Object.fromEntries(
      (
        await t.db.query<{ run: string; task_id: string; state: string }>(
          `SELECT r.run_id AS run, t.task_id, t.state FROM task_instances t JOIN dag_runs r ON r.id = t.run_pk`,
        )
      ).map((r) => [`${r.run.slice(-8, -6)} ${r.task_id}`, r.state]),
    );

  it("records each end, makes what they make ready, ends their runs, and claims the worker's next", async () => {
    const claimed = await claimTasks(t.db, 'w', 6, 1);
    expect(claimed.map((c) => c.taskId).sort()).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
    // All six at once, in no particular order; x is below a and b (not a leaf), so the ends go
    // in turn, and the claim sees both x's, which the ends made ready.
    const ends = claimed.reverse().map((c) => success(c.tiId, c.tryNumber, c.taskId === 'c', c.runPk));
    const { results, claimed: next } = await endTriesAndClaim(t.db, ends, 2, { limit: 6 });
    expect(results.map((r) => r.state)).toEqual(Array(6).fill('success'));
    expect(next.map((c) => c.taskId)).toEqual(['x', 'x']);
    // The two x's as a batch of leaves: one round trip for their rows, and each run ends.
    const last = await endTriesAndClaim(
      t.db,
      next.map((c) => success(c.tiId, c.tryNumber, true, c.runPk)),
      3,
      { limit: 2 },
    );
    expect(last.results.map((r) => (r.state === 'success' ? r.runState : r.state))).toEqual([
      'success',
      'success',
    ]);
    expect(last.claimed).toEqual([]);
    expect(Object.values(await states()).every((s) => s === 'success')).toBe(true);
    const tries = await t.db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM task_tries WHERE state = 'success'",
    );
    expect(Number(tries[0]?.n)).toBe(8);
  });

  it('a stale end among leaves: nothing of it is recorded, the others are', async () => {
    const claimed = (await claimTasks(t.db, 'w', 6, 1)).filter((c) => c.taskId === 'c');
    expect(claimed).toHaveLength(2);
    const [first, second] = claimed as [(typeof claimed)[number], (typeof claimed)[number]];
    // The second try was taken from this worker (declared lost and claimed again elsewhere).
    await t.db.execute("UPDATE task_instances SET worker = 'other' WHERE id = $1", [second.tiId]);
    const { results } = await endTriesAndClaim(
      t.db,
      [
        success(first.tiId, first.tryNumber, true, first.runPk),
        success(second.tiId, second.tryNumber, true, second.runPk),
      ],
      2,
      { limit: 2 },
    );
    expect(results.map((r) => r.state)).toEqual(['success', 'stale']);
    const rows = await t.db.query<{ id: number; state: string; worker: string }>(
      'SELECT id, state, worker FROM task_instances WHERE id IN ($1, $2) ORDER BY id',
      [first.tiId, second.tiId],
    );
    expect(rows.map((r) => [r.state, r.worker])).toEqual([
      ['success', 'w'],
      ['running', 'other'],
    ]);
    const logs = await t.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM task_log_lines WHERE ti_id = $1',
      [second.tiId],
    );
    expect(Number(logs[0]?.n)).toBe(0);
  });
});
