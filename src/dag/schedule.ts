import { Cron } from 'croner';

/** Airflow's presets; `null` means the DAG runs only when triggered. */
const PRESETS: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

/** A half-open span of time [start, end): the data a run is responsible for. */
export interface DataInterval {
  readonly start: Date;
  readonly end: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Fire times a fixed step apart: every `period` ms from `offset` ms past the epoch. */
interface Period {
  readonly period: number;
  readonly offset: number;
}

/**
 * The fixed step of a pattern whose fire times are evenly spaced in UTC: `M * * * *` (hourly at
 * minute M) and `M H * * *` (daily at H:M). A zone other than UTC has days of 23 or 25 hours, and
 * other patterns uneven steps: those go through croner, which costs ~0.4 ms a fire time, too much
 * for a range run's thousands of intervals.
 */
function fixedPeriod(pattern: string, timezone: string): Period | undefined {
  if (timezone !== 'UTC') return undefined;
  const [minute, hour, ...rest] = pattern.trim().split(/\s+/);
  if (rest.some((field) => field !== '*') || !/^\d{1,2}$/.test(minute ?? '')) return undefined;
  const m = Number(minute);
  if (hour === '*') return { period: HOUR, offset: m * MINUTE };
  if (!/^\d{1,2}$/.test(hour ?? '')) return undefined;
  return { period: DAY, offset: Number(hour) * HOUR + m * MINUTE };
}

/**
 * A cron schedule in a time zone. Fire times are the starts of data intervals: the run for the
 * interval [t, next(t)) has logical date t (Airflow's convention), and is due once `next(t)` has passed.
 */
export class CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  readonly #cron: Cron;
  readonly #fixed: Period | undefined;

  /** Throws a plain Error with croner's reason for an expression it cannot read. */
  constructor(expression: string, timezone = 'UTC') {
    this.expression = expression;
    this.timezone = timezone;
    const pattern = PRESETS[expression.trim()] ?? expression;
    if (pattern.trim().split(/\s+/).length !== 5) {
      throw new Error(
        `"${expression}" is not a cron expression of 5 fields (minute hour day month weekday) or a preset`,
      );
    }
    try {
      Intl.DateTimeFormat('en-US', { timeZone: timezone });
    } catch {
      throw new Error(`unknown time zone "${timezone}"`);
    }
    this.#cron = new Cron(pattern, { timezone, paused: true, mode: '5-part' });
    this.#fixed = fixedPeriod(pattern, timezone);
  }

  /** The first fire time strictly after `date`. */
  next(date: Date): Date {
    if (this.#fixed) return new Date(this.#stepAtOrBefore(date.getTime()) + this.#fixed.period);
    const next = this.#cron.nextRun(date);
    if (!next) throw new Error(`schedule "${this.expression}" has no fire time after ${date.toISOString()}`);
    return next;
  }

  /** The last fire time at or before `date`. */
  atOrBefore(date: Date): Date {
    if (this.#fixed) return new Date(this.#stepAtOrBefore(date.getTime()));
    if (this.isFireTime(date)) return date;
    const [previous] = this.#cron.previousRuns(1, date);
    if (!previous)
      throw new Error(`schedule "${this.expression}" has no fire time before ${date.toISOString()}`);
    return previous;
  }

  isFireTime(date: Date): boolean {
    if (this.#fixed) return this.#stepAtOrBefore(date.getTime()) === date.getTime();
    return date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0 && this.#cron.match(date);
  }

  /** A fixed-step schedule's last fire time at or before `ms`. */
  #stepAtOrBefore(ms: number): number {
    const { period, offset } = this.#fixed ?? { period: 1, offset: 0 };
    return Math.floor((ms - offset) / period) * period + offset;
  }

  /** The data interval that contains `date`. */
  intervalContaining(date: Date): DataInterval {
    const start = this.atOrBefore(date);
    return { start, end: this.next(start) };
  }
}
