import { describe, expect, it } from 'vitest';
import { RUN_PRIORITY, runsToStart, type QueuedRun } from './run-admission.ts';
import { backfillOutcome, runOutcome } from './run-outcome.ts';

describe('runOutcome', () => {
  it('goes on while any task instance is still to run', () => {
    for (const state of ['scheduled', 'queued', 'running', 'up_for_retry'] as const)
      expect(
        runOutcome([
          { state: 'success', count: 3, leaf: true },
          { state, count: 1, leaf: true },
        ]),
      ).toBeUndefined();
  });

  it('succeeds when every task succeeded or was skipped', () => {
    expect(runOutcome([{ state: 'success', count: 3, leaf: true }])).toBe('success');
    expect(
      runOutcome([
        { state: 'success', count: 2, leaf: true },
        { state: 'skipped', count: 2, leaf: true },
      ]),
    ).toBe('success');
  });

  it('fails when any task failed or is upstream_failed', () => {
    expect(
      runOutcome([
        { state: 'success', count: 3, leaf: true },
        { state: 'failed', count: 1, leaf: true },
      ]),
    ).toBe('failed');
    expect(
      runOutcome([
        { state: 'success', count: 1, leaf: true },
        { state: 'upstream_failed', count: 1, leaf: true },
      ]),
    ).toBe('failed');
  });

  it("follows the leaves, as Airflow does: a failure that a downstream task ran after anyway is not the run's", () => {
    expect(
      runOutcome([
        { state: 'failed', count: 1, leaf: false },
        { state: 'success', count: 2, leaf: true },
      ]),
    ).toBe('success');
    expect(
      runOutcome([
        { state: 'success', count: 2, leaf: false },
        { state: 'skipped', count: 1, leaf: true },
        { state: 'upstream_failed', count: 1, leaf: true },
      ]),
    ).toBe('failed');
  });

  it('ignores states with no task instances', () => {
    expect(
      runOutcome([
        { state: 'success', count: 2, leaf: true },
        { state: 'running', count: 0, leaf: true },
      ]),
    ).toBe('success');
  });
});

describe('backfillOutcome', () => {
  it('goes on while a run is queued or running, then fails if any run failed', () => {
    expect(
      backfillOutcome([
        { state: 'success', count: 5 },
        { state: 'queued', count: 1 },
      ]),
    ).toBeUndefined();
    expect(backfillOutcome([{ state: 'running', count: 1 }])).toBeUndefined();
    expect(
      backfillOutcome([
        { state: 'success', count: 5 },
        { state: 'failed', count: 1 },
      ]),
    ).toBe('failed');
    expect(backfillOutcome([{ state: 'success', count: 5 }])).toBe('success');
  });
});

describe('runsToStart', () => {
  const run = (id: number, over: Partial<QueuedRun> = {}): QueuedRun => ({
    id,
    dagId: 'd',
    runType: 'scheduled',
    logicalDate: id,
    backfillId: null,
    dagLimit: 16,
    backfillLimit: null,
    ...over,
  });
  const none = { byDag: new Map(), byBackfill: new Map() };

  it('starts scheduled and manual runs before backfill runs, then oldest first', () => {
    const queued = [
      run(1, { runType: 'backfill', backfillId: 9 }),
      run(3, { runType: 'manual' }),
      run(2),
      run(0, { runType: 'backfill', backfillId: 9 }),
    ];
    expect(runsToStart(queued, none)).toEqual([2, 3, 0, 1]);
    expect(RUN_PRIORITY.backfill).toBeGreaterThan(RUN_PRIORITY.scheduled);
  });

  it('keeps each DAG within its max_active_runs, counting the runs already running', () => {
    const queued = [run(1, { dagLimit: 2 }), run(2, { dagLimit: 2 }), run(3, { dagId: 'e', dagLimit: 1 })];
    expect(runsToStart(queued, { byDag: new Map([['d', 1]]), byBackfill: new Map() })).toEqual([1, 3]);
  });

  it('keeps each backfill within its own max_active_runs too', () => {
    const queued = [1, 2, 3].map((id) => run(id, { runType: 'backfill', backfillId: 7, backfillLimit: 2 }));
    expect(runsToStart(queued, none)).toEqual([1, 2]);
    expect(runsToStart(queued, { byDag: new Map(), byBackfill: new Map([[7, 2]]) })).toEqual([]);
  });
});
