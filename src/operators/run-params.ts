import type { DataInterval, RunInfo } from '../dag/index.ts';
import type { SqlParams } from '../ports/index.ts';

/** Timestamps as SQL text, `2018-11-15 10:00:00.000`, for `CAST($x AS TIMESTAMP)` in any warehouse. */
export function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The parameters every operator's SQL may use: `$run_id`, `$dag_id`, `$logical_date`,
 * `$interval_start`, `$interval_end` (timestamps as text: cast them), `$interval_start_ms`,
 * `$interval_end_ms` (epoch milliseconds). A statement binds only the ones it names.
 */
export function runParams(run: RunInfo): SqlParams {
  return {
    run_id: run.runId,
    dag_id: run.dagId,
    logical_date: sqlTimestamp(run.logicalDate),
    interval_start: sqlTimestamp(run.dataInterval.start),
    interval_end: sqlTimestamp(run.dataInterval.end),
    interval_start_ms: run.dataInterval.start.getTime(),
    interval_end_ms: run.dataInterval.end.getTime(),
  };
}

/**
 * A range run's covered intervals as a derived table, `(VALUES …) AS iv (n, interval_start,
 * interval_end, interval_start_ms, interval_end_ms)`: n counts from 0, the timestamps are
 * timestamps already (a check's `CAST($interval_start AS TIMESTAMP)` then casts nothing, and the
 * engine sees a range join it can plan as one), the `_ms` columns epoch milliseconds. Its text
 * holds only digits and sqlTimestamp's punctuation, safe in a literal.
 */
export function intervalTable(intervals: readonly DataInterval[], alias = 'iv'): string {
  const rows = intervals.map(
    (interval, n) =>
      `(${n}, CAST('${sqlTimestamp(interval.start)}' AS TIMESTAMP), CAST('${sqlTimestamp(interval.end)}' AS TIMESTAMP), ${interval.start.getTime()}, ${interval.end.getTime()})`,
  );
  return `(VALUES ${rows.join(', ')}) AS ${alias} (n, interval_start, interval_end, interval_start_ms, interval_end_ms)`;
}
