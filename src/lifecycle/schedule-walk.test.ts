import { describe, expect, it } from 'vitest';
import { dag, type Operator } from '../dag/index.ts';
import { dueIntervals, fireTimes, MAX_DUE_PER_LOOP, planBackfill } from './schedule-walk.ts';
import type { RunState } from './states.ts';

const op: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
const HOUR = 3_600_000;
const T0 = Date.parse('2018-11-01T00:00:00Z');
const hourly = (catchup: boolean, startDate = '2018-11-01T00:00:00Z') =>
  dag({ id: 'h', schedule: '@hourly', startDate, catchup }, (d) => d.task('t', op));
const at = (hours: number) => new Date(T0 + hours * HOUR);

describe('fireTimes', () => {
  const schedule = hourly(false).schedule;
  if (!schedule) throw new Error('hourly has a schedule');

  it('walks the fire times in [from, until): from itself when it is one', () => {
    expect([...fireTimes(schedule, at(0), at(3))]).toEqual([at(0), at(1), at(2)]);
  });

  it('starts at the next fire time when from is between two', () => {
    expect([...fireTimes(schedule, new Date(T0 + 30 * 60_000), at(3))]).toEqual([at(1), at(2)]);
  });

  it('is empty for an empty range', () => {
    expect([...fireTimes(schedule, at(2), at(2))]).toEqual([]);
  });
});

describe('dueIntervals', () => {
  const now = T0 + 5.5 * HOUR;

  it('without catchup, starts with the latest complete interval and skips the missed ones', () => {
    expect(dueIntervals(hourly(false), undefined, now)).toEqual([T0 + 4 * HOUR]);
    expect(dueIntervals(hourly(false), T0 + HOUR, now)).toEqual([T0 + 4 * HOUR]);
    expect(dueIntervals(hourly(false), T0 + 4 * HOUR, now)).toEqual([]);
  });

  it('with catchup, gives every interval since the start date, oldest first, none that has not ended', () => {
    expect(dueIntervals(hourly(true), undefined, now)).toEqual([0, 1, 2, 3, 4].map((h) => T0 + h * HOUR));
    expect(dueIntervals(hourly(true), T0 + 3 * HOUR, now)).toEqual([T0 + 4 * HOUR]);
    expect(dueIntervals(hourly(true), undefined, T0 - 24 * HOUR)).toEqual([]);
  });

  it('with catchup, gives at most MAX_DUE_PER_LOOP at a time', () => {
    const due = dueIntervals(hourly(true), undefined, T0 + 1000 * HOUR);
    expect(due).toHaveLength(MAX_DUE_PER_LOOP);
    expect(due[0]).toBe(T0);
  });

  it('starts at the first fire time after a start date between two', () => {
    expect(dueIntervals(hourly(true, '2018-11-01T00:30:00Z'), undefined, T0 + 3 * HOUR)).toEqual([
      T0 + HOUR,
      T0 + 2 * HOUR,
    ]);
  });

  it('gives nothing to a DAG without a schedule', () => {
    const manual = dag({ id: 'm', schedule: null, startDate: '2018-11-01' }, (d) => d.task('t', op));
    expect(dueIntervals(manual, undefined, now)).toEqual([]);
  });
});

describe('planBackfill', () => {
  const d = hourly(false);
  const existing = new Map<number, RunState>([
    [T0 + HOUR, 'success'],
    [T0 + 2 * HOUR, 'failed'],
    [T0 + 3 * HOUR, 'running'],
    [T0 + 4 * HOUR, 'queued'],
  ]);
  const plan = (reprocess: 'none' | 'failed' | 'completed' | 'stale', stale = new Set<number>()) =>
    planBackfill(d, { start: at(0), end: at(6), reprocess }, existing, stale).map((p) => [
      (p.logicalDate.getTime() - T0) / HOUR,
      p.action,
      p.existing,
    ]);

  it('with reprocess none: creates the missing runs, adopts unfinished ones, skips ended ones', () => {
    expect(plan('none')).toEqual([
      [0, 'create', null],
      [1, 'skip', 'success'],
      [2, 'skip', 'failed'],
      [3, 'adopt', 'running'],
      [4, 'adopt', 'queued'],
      [5, 'create', null],
    ]);
  });

  it('with reprocess failed: also reruns the failed ones', () => {
    expect(plan('failed').map(([, action]) => action)).toEqual([
      'create',
      'skip',
      'rerun',
      'adopt',
      'adopt',
      'create',
    ]);
  });

  it('with reprocess completed: reruns every ended run', () => {
    expect(plan('completed').map(([, action]) => action)).toEqual([
      'create',
      'rerun',
      'rerun',
      'adopt',
      'adopt',
      'create',
    ]);
  });

  it('with reprocess stale: reruns the stale ended runs only, adopts a stale unfinished one, creates nothing', () => {
    const stale = new Set([T0 + HOUR, T0 + 2 * HOUR, T0 + 4 * HOUR]);
    expect(plan('stale', stale).map(([, action]) => action)).toEqual([
      'skip',
      'rerun',
      'rerun',
      'skip',
      'adopt',
      'skip',
    ]);
    expect(plan('stale').every(([, action]) => action === 'skip')).toBe(true);
  });

  it('takes the range as half-open, starting at the next fire time', () => {
    const p = planBackfill(d, { start: new Date(T0 + 1), end: at(3), reprocess: 'none' }, new Map());
    expect(p.map((r) => r.logicalDate)).toEqual([at(1), at(2)]);
  });

  it('refuses a DAG without a schedule, naming it', () => {
    const manual = dag({ id: 'manual_only', schedule: null, startDate: '2018-11-01' }, (b) =>
      b.task('t', op),
    );
    expect(() => planBackfill(manual, { start: at(0), end: at(1), reprocess: 'none' }, new Map())).toThrow(
      /manual_only.*no schedule/,
    );
  });
});
