/**
 * Walking a DAG's schedule: which intervals are due for scheduled runs (with or without catchup),
 * and which runs a backfill over a range makes. One walker for both, over the DAG's fire times.
 */
import type { CronSchedule, Dag } from '../dag/index.ts';
import type { RunState } from './states.ts';

/** Scheduled runs created per DAG per scheduler loop at most, so a long catchup never stalls it. */
export const MAX_DUE_PER_LOOP = 100;

/** The fire times in [from, until), in order: the logical dates of the intervals that start there. */
export function* fireTimes(schedule: CronSchedule, from: Date, until: Date): Generator<Date> {
  let start = schedule.isFireTime(from) ? from : schedule.next(from);
  while (start < until) {
    yield start;
    start = schedule.next(start);
  }
}

/** The logical date of the DAG's first interval: its start date, or the first fire time after it. */
function firstStart(schedule: CronSchedule, dag: Dag): number {
  return (schedule.isFireTime(dag.startDate) ? dag.startDate : schedule.next(dag.startDate)).getTime();
}

/**
 * Logical dates of the due intervals not yet run: a run for [t, next(t)) is due once next(t) has
 * passed. After the DAG's latest scheduled run (`latest`), every missed interval when catchup is on
 * (oldest first, at most MAX_DUE_PER_LOOP), only the latest one when it is off; from the start date
 * on the first time (catchup), or just the latest complete interval (no catchup).
 */
export function dueIntervals(dag: Dag, latest: number | undefined, now: number): number[] {
  const schedule = dag.schedule;
  const next = nextScheduledRun(dag, latest, now);
  if (!schedule || next === undefined) return [];
  const isDue = (start: number) => schedule.next(new Date(start)).getTime() <= now;
  const due: number[] = [];
  for (const start of fireTimes(schedule, new Date(next), new Date(8.64e15))) {
    if (!isDue(start.getTime())) break;
    due.push(start.getTime());
    if (!dag.catchup && due.length > 1) due.shift();
    if (dag.catchup && due.length >= MAX_DUE_PER_LOOP) break;
  }
  return due;
}

/**
 * The logical date of the DAG's next scheduled run, due or not: the fire time after its latest
 * scheduled run; the first time, its first interval with catchup, else the latest complete
 * interval (not before the first). Undefined for a DAG without a schedule.
 */
export function nextScheduledRun(dag: Dag, latest: number | undefined, now: number): number | undefined {
  const schedule = dag.schedule;
  if (!schedule) return undefined;
  if (latest !== undefined) return schedule.next(new Date(latest)).getTime();
  const first = firstStart(schedule, dag);
  if (dag.catchup) return first;
  // The interval that contains now has not ended: the latest complete one is the one before it.
  const current = schedule.atOrBefore(new Date(now)).getTime();
  const previous = schedule.atOrBefore(new Date(current - 1)).getTime();
  return Math.max(previous, first);
}

/**
 * Which ended runs a backfill runs again: none, the failed ones, every one, or only those marked
 * stale (an object they read has changed at the source); `stale` creates no missing run.
 */
export const REPROCESS = ['none', 'failed', 'completed', 'stale'] as const;
export type Reprocess = (typeof REPROCESS)[number];

export interface PlannedRun {
  readonly logicalDate: Date;
  /** create: no run yet; rerun: an existing run is cleared; adopt: an unfinished run joins; skip. */
  readonly action: 'create' | 'rerun' | 'adopt' | 'skip';
  readonly existing: RunState | null;
}

/**
 * The runs a backfill of [start, end) makes: one per interval that starts in the range, by what
 * the interval's existing run (if any) is in `existing` (logical date in ms → state) and whether
 * it is marked stale (`stale`: logical dates in ms).
 */
export function planBackfill(
  dag: Dag,
  range: { readonly start: Date; readonly end: Date; readonly reprocess: Reprocess },
  existing: ReadonlyMap<number, RunState>,
  stale: ReadonlySet<number> = new Set(),
): PlannedRun[] {
  const schedule = dag.schedule;
  if (!schedule) throw new Error(`DAG "${dag.id}" has no schedule: a backfill needs intervals`);
  return [...fireTimes(schedule, range.start, range.end)].map((logicalDate) => {
    const state = existing.get(logicalDate.getTime()) ?? null;
    const action =
      range.reprocess === 'stale'
        ? staleAction(state, stale.has(logicalDate.getTime()))
        : backfillAction(state, range.reprocess);
    return { logicalDate, action, existing: state };
  });
}

/** `--reprocess stale`: exactly the stale intervals (one being run again already joins). */
function staleAction(state: RunState | null, stale: boolean): PlannedRun['action'] {
  if (state === null || !stale) return 'skip';
  return state === 'queued' || state === 'running' ? 'adopt' : 'rerun';
}

function backfillAction(state: RunState | null, reprocess: Reprocess): PlannedRun['action'] {
  if (state === null) return 'create';
  if (state === 'queued' || state === 'running') return 'adopt';
  if (reprocess === 'completed' || (reprocess === 'failed' && state === 'failed')) return 'rerun';
  return 'skip';
}
