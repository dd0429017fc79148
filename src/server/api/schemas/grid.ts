import { z } from '@hono/zod-openapi';
import { isoTime, list, seconds } from '../schema-kit.ts';
import { RunStateSchema, RunTypeSchema, TaskStateSchema } from './runs.ts';

/** The grid (a window of runs × tasks), a run's data-quality results, per-run statistics. */

/**
 * The newest `limit` runs before `before`, oldest first, with one state per task in `task_ids`
 * order. Windowed: it costs the same at 10 runs and 100,000.
 */
export const GridSchema = z
  .object({
    task_ids: list(z.string()),
    runs: list(
      z.object({
        dag_run_id: z.string(),
        logical_date: isoTime(),
        state: RunStateSchema,
        run_type: RunTypeSchema,
        duration: seconds(),
        states: list(TaskStateSchema).openapi({ description: "a task's state, in task_ids order" }),
        range_run_id: z.string().nullable().openapi({ description: 'the range run whose tasks these are' }),
        deadline_missed: z.boolean(),
        stale: z.boolean(),
      }),
    ),
    total_runs: z.number().int(),
    older: isoTime()
      .nullable()
      .openapi({ description: 'pass as `before` for the previous page; null when there are no older runs' }),
  })
  .openapi('Grid');

export const CheckResultSchema = z
  .object({
    task_id: z.string(),
    try_number: z.number().int(),
    name: z.string(),
    sql: z.string().nullable(),
    expected: z.string(),
    actual: z.string(),
    passed: z.boolean(),
    for_range: z.boolean().openapi({
      description:
        'for a run a range run covered: the result measured the whole range, not this interval alone',
    }),
  })
  .openapi('CheckResult');

export const RunChecksSchema = z
  .object({
    checks: list(CheckResultSchema),
    rows: z.record(z.string(), z.number()).openapi({
      description:
        "rows each task reported writing, by task id (a covered run: the tasks that gave them per interval, this interval's)",
    }),
  })
  .openapi('RunChecks');

/** Per run, newest `limit`, oldest first: for the charts. */
export const RunStatsSchema = z
  .object({
    runs: list(
      z.object({
        dag_run_id: z.string(),
        logical_date: isoTime(),
        state: RunStateSchema,
        duration: seconds(),
        rows_staged: z.number(),
        rows_loaded: z.number(),
        checks_passed: z.number().int(),
        checks_failed: z.number().int(),
      }),
    ),
  })
  .openapi('RunStats');
