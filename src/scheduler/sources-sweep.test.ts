/**
 * The scheduler's source-lineage sweep: started at the first loop and then once per
 * `sourcesCheckEveryMs` of its clock (a fake one here), one at a time, in the background; a failed
 * sweep is told and tried again at the next due time, not at every loop.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { Scheduler } from './scheduler.ts';

const T0 = Date.parse('2018-11-05T00:00:00Z');
const MINUTE = 60_000;

describe('the scheduler sweeps the sources', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb('sqlite');
  });
  afterEach(() => t.drop());

  it('at most once an hour of its clock, one sweep at a time, a failed one again an hour later', async () => {
    const clock = new FakeClock(T0);
    const sweeps: number[] = [];
    const errors: string[] = [];
    let finish: (failure?: Error) => void = () => undefined;
    const scheduler = new Scheduler({
      db: t.db,
      dags: new Map(),
      clock,
      sweepSources: (now) => {
        sweeps.push((now - T0) / MINUTE);
        return new Promise<void>((resolve, reject) => {
          finish = (failure) => (failure ? reject(failure) : resolve());
        });
      },
      onSourcesSweepError: (e) => errors.push(e.message),
    });
    const tickAt = async (minutes: number) => {
      clock.advance(T0 + minutes * MINUTE - clock.now());
      return (await scheduler.tick()).sourcesSweepStarted;
    };

    expect(await tickAt(0)).toBe(true);
    // Still running an hour and a half later: no second sweep beside it.
    expect(await tickAt(90)).toBe(false);
    finish();
    await scheduler.sourcesSweep;
    // Its next due time was an hour after it started: due now.
    expect(await tickAt(91)).toBe(true);
    finish(new Error('source unreachable'));
    await scheduler.sourcesSweep;
    expect(errors).toEqual(['source unreachable']);
    expect(await tickAt(92)).toBe(false);
    expect(await tickAt(150)).toBe(false);
    expect(await tickAt(151)).toBe(true);
    finish();
    await scheduler.stop();
    expect(sweeps).toEqual([0, 91, 151]);
  });

  it('is not started by a scheduler scoped to one backfill, nor without a sweep', async () => {
    const clock = new FakeClock(T0);
    const sweeps: number[] = [];
    const scoped = new Scheduler({
      db: t.db,
      dags: new Map(),
      clock,
      backfillId: 1,
      sweepSources: (now) => Promise.resolve(void sweeps.push(now)),
    });
    expect((await scoped.tick()).sourcesSweepStarted).toBe(false);
    const none = new Scheduler({ db: t.db, dags: new Map(), clock });
    expect((await none.tick()).sourcesSweepStarted).toBe(false);
    expect(sweeps).toEqual([]);
  });
});
