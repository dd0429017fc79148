import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../db/testing.ts';
import { triesOf, upstreamOutputs } from '../read/index.ts';
import { createRun, startQueuedRuns, syncDags } from '../runs/index.ts';
import { claimTasks, endTry } from './index.ts';

const { default: diamond } = await import('../testing-dags/diamond.dag.ts');

describe.each(['sqlite', 'postgres'] as const)("a try's output on %s", (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
  });
  afterEach(() => t.drop());

  it('is kept with the try, apart from its outcome, and is null when the task gave none', async () => {
    await createRun(t.db, diamond, diamond.runFor(new Date('2018-11-01T00:00:00Z')), 0);
    await startQueuedRuns(t.db, 1);
    const [first] = await claimTasks(t.db, 'w', 1, 2);
    if (!first) throw new Error('nothing to claim');
    const output = { rows: 3, names: ['é', 'b'], nested: { ok: true } };
    await endTry(
      t.db,
      { ...first, worker: 'w', state: 'success', outcome: { summary: 's' }, output, log: [] },
      3,
    );
    const [kept] = await triesOf(t.db, first.tiId);
    expect(JSON.parse(kept?.output ?? 'null')).toEqual(output);
    expect(JSON.parse(kept?.outcome ?? 'null')).toEqual({ summary: 's' });

    const [second] = await claimTasks(t.db, 'w', 1, 4);
    if (!second) throw new Error('nothing to claim');
    await endTry(t.db, { ...second, worker: 'w', state: 'success', outcome: {}, log: [] }, 5);
    expect((await triesOf(t.db, second.tiId))[0]?.output).toBeNull();

    // What the downstream tasks read: the output, else the outcome, of a task that succeeded.
    const read = await upstreamOutputs(t.db, first.runPk, [first.taskId, second.taskId, 'bottom']);
    expect(Object.fromEntries(read)).toEqual({ [first.taskId]: output, [second.taskId]: {} });
  });
});
