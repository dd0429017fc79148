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

/**
 * A cron schedule in a time zone. Fire times are the starts of data intervals: the run for the
 * interval [t, next(t)) has logical date t (Airflow's convention), and is due once `next(t)` has passed.
 */
export class CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  readonly #cron: Cron;

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
  }

  /** The first fire time strictly after `date`. */
  next(date: Date): Date {
    const next = this.#cron.nextRun(date);
    if (!next) throw new Error(`schedule "${this.expression}" has no fire time after ${date.toISOString()}`);
    return next;
  }

  /** The last fire time at or before `date`. */
  atOrBefore(date: Date): Date {
    if (this.isFireTime(date)) return date;
    const [previous] = this.#cron.previousRuns(1, date);
    if (!previous)
      throw new Error(`schedule "${this.expression}" has no fire time before ${date.toISOString()}`);
    return previous;
  }

  isFireTime(date: Date): boolean {
    return date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0 && this.#cron.match(date);
  }

  /** The data interval that contains `date`. */
  intervalContaining(date: Date): DataInterval {
    const start = this.atOrBefore(date);
    return { start, end: this.next(start) };
  }
}
