/**
 * Range runs (DESIGN §5.1): a backfill may execute consecutive intervals as one run over their
 * union, each interval keeping its own run row. Which intervals go together, how a failed range is
 * split, and what a range run's tasks may retry are decided here.
 */
import type { PlannedRun } from './schedule-walk.ts';

/** How many consecutive intervals one execution of a backfill covers at most. */
export type IntervalsPerRun = number | 'all';

/** One execution a backfill plans: the logical dates of the consecutive intervals it covers. */
export interface PlannedRange {
  /** Logical dates (ms) of the covered intervals, in order; one for a run per interval. */
  readonly intervals: readonly number[];
}

/**
 * The executions a backfill's plan makes, at most `max` intervals each: consecutive intervals to
 * create or rerun go together; one an earlier backfill left unfinished (adopted) or one skipped
 * ends a group, as it runs, or ran, on its own. With `max` 1 every interval is its own run.
 */
export function groupRanges(plan: readonly PlannedRun[], max: IntervalsPerRun): PlannedRange[] {
  const limit = max === 'all' ? Infinity : max;
  const ranges: number[][] = [];
  let current: number[] = [];
  const close = () => {
    if (current.length > 0) ranges.push(current);
    current = [];
  };
  for (const planned of plan) {
    if (planned.action !== 'create' && planned.action !== 'rerun') {
      close();
      continue;
    }
    current.push(planned.logicalDate.getTime());
    if (current.length >= limit) close();
  }
  close();
  return ranges.map((intervals) => ({ intervals }));
}

/**
 * The two halves a failed range run is split into, each run again (the first the larger when the
 * count is odd); a single interval is not split: its failure is the interval's.
 */
export function splitRange<T>(intervals: readonly T[]): [T[], T[]] | undefined {
  if (intervals.length < 2) return undefined;
  const middle = Math.ceil(intervals.length / 2);
  return [intervals.slice(0, middle), intervals.slice(middle)];
}

/**
 * The retries a task has in a run covering `intervals` intervals: none in a range of several, whose
 * failure splits it at once (a retry after the delay would cost more than the halves, and a bad
 * interval fails again anyway); its own retries in a run of one interval.
 */
export function retriesInRun(retries: number, intervals: number): number {
  return intervals > 1 ? 0 : retries;
}

/** `--max-intervals-per-run`'s value: a whole number ≥ 1 or `all`; undefined when it is neither. */
export function parseIntervalsPerRun(text: string): IntervalsPerRun | undefined {
  if (text === 'all') return 'all';
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** As the metadata DB keeps it: 0 for `all`. */
export function intervalsPerRunColumn(max: IntervalsPerRun): number {
  return max === 'all' ? 0 : max;
}

export function intervalsPerRunOf(column: number): IntervalsPerRun {
  return Number(column) === 0 ? 'all' : Number(column);
}
