/** The UTC days of log_data: one file each, and how many lines each holds. */
import { activityBefore, DAY_MS } from './diurnal.ts';
import type { ResolvedGenerateOptions } from './options.ts';
import { createRandom } from './random.ts';

export interface DayPlan {
  /** 0 for the first day. */
  readonly index: number;
  /** `2018-11-15` */
  readonly date: string;
  /** `log_data/2018/11/2018-11-15-events.json` */
  readonly key: string;
  /** The part of the day inside [start, end), as epoch ms: [from, to). */
  readonly from: number;
  readonly to: number;
  /** Lines in the file: events, plus the faults that replace some of them. */
  readonly lines: number;
}

/** Busy and quiet days differ by up to this share of the average. */
const DAY_SPREAD = 0.3;

export function logKey(date: string): string {
  return `log_data/${date.slice(0, 4)}/${date.slice(5, 7)}/${date}-events.json`;
}

export function planDays(options: ResolvedGenerateOptions): DayPlan[] {
  const start = options.start.getTime();
  const end = options.end.getTime();
  const first = Math.floor(start / DAY_MS) * DAY_MS;
  const count = Math.ceil((end - first) / DAY_MS);
  const spread = daySpread(options.seed, count);
  return Array.from({ length: count }, (_, index): DayPlan => {
    const midnight = first + index * DAY_MS;
    const from = Math.max(start, midnight);
    const to = Math.min(end, midnight + DAY_MS);
    // A partial day gets the share of a day's activity that its hours hold.
    const share = activityBefore(to - midnight) - activityBefore(from - midnight);
    const date = new Date(midnight).toISOString().slice(0, 10);
    const lines = Math.round(options.eventsPerDay * (1 + (spread[index] ?? 0)) * share);
    return { index, date, key: logKey(date), from, to, lines };
  });
}

/**
 * Each day's deviation from the average, within ±DAY_SPREAD and centred on 0, so that the days
 * together hold eventsPerDay × days lines (to rounding).
 */
function daySpread(seed: number, count: number): number[] {
  const rng = createRandom(seed, 'days');
  const raw = Array.from({ length: count }, () => (2 * rng.next() - 1) * DAY_SPREAD);
  const mean = raw.reduce((sum, x) => sum + x, 0) / count;
  const centred = raw.map((x) => x - mean);
  const widest = centred.reduce((max, x) => Math.max(max, Math.abs(x)), 0);
  return widest > DAY_SPREAD ? centred.map((x) => (x * DAY_SPREAD) / widest) : centred;
}
