import { z } from '@hono/zod-openapi';
import type { RunType } from '../../../dag/index.ts';
import { RUN_STATES, TASK_STATES, TRY_STATES } from '../../../lifecycle/index.ts';
import {
  bodyOf,
  bool,
  dateInput,
  isoTime,
  jsonObject,
  list,
  seconds,
  stringList,
  text,
} from '../schema-kit.ts';

/** Runs, task instances, their tries and logs; triggering, clearing and marking. */

export const RUN_TYPES = ['scheduled', 'manual', 'backfill'] as const satisfies readonly RunType[];
export const RunStateSchema = z.enum(RUN_STATES).openapi('RunState');
export const RunTypeSchema = z.enum(RUN_TYPES).openapi('RunType');
/** A task instance's state (src/lifecycle/states.ts), or 'none' where a run has no instance of the task. */
export const TaskStateSchema = z.enum([...TASK_STATES, 'none']).openapi('TaskState');
export const TryStateSchema = z
  .enum(TRY_STATES)
  .openapi('TryState', { description: "a try's own state: lost when its worker stopped heartbeating" });

/** An object a stale run read: the version it read, and the source's now (null: removed). */
export const StaleObjectSchema = z
  .object({
    table: z.string(),
    key: z.string(),
    read_version: z.string(),
    current_version: z.string().nullable().openapi({ description: 'null: removed at the source' }),
  })
  .openapi('StaleObject');

export const DagRunSchema = z
  .object({
    dag_id: z.string(),
    dag_run_id: z.string(),
    run_type: RunTypeSchema,
    state: RunStateSchema,
    logical_date: isoTime(),
    data_interval_start: isoTime(),
    data_interval_end: isoTime(),
    conf: z.record(z.string(), z.unknown()),
    backfill_id: z.number().int().nullable(),
    queued_at: isoTime(),
    start_date: isoTime().nullable(),
    end_date: isoTime().nullable(),
    duration: seconds(),
    dag_version: z
      .string()
      .openapi({ description: 'the version (a hash of its definition) it was created with' }),
    marked_by: z.string().nullable().openapi({ description: 'who last marked it by hand; null: nobody' }),
    marked_at: isoTime().nullable(),
    kind: z.enum(['interval', 'range']).openapi({
      description:
        '`range`: one execution over `intervals` consecutive intervals of a backfill (listed with range_runs=true); `interval`: a run of one interval',
    }),
    intervals: z.number().int(),
    range_run_id: z
      .string()
      .nullable()
      .openapi({ description: 'the range run that covers (or covered) this run and holds its tasks' }),
    deadline_missed_at: isoTime()
      .nullable()
      .openapi({ description: "when this run was found not succeeded by its DAG's deadline; null: no miss" }),
    stale: z.boolean().openapi({ description: 'an object it read has another version at the source now' }),
    stale_objects: list(StaleObjectSchema),
  })
  .openapi('DagRun');

export const TriggerRunBodySchema = bodyOf('TriggerRunBody', {
  logical_date: dateInput(),
  conf: jsonObject().openapi({ description: "checked against the DAG's params" }),
});

export const TaskInstanceSchema = z
  .object({
    dag_id: z.string(),
    dag_run_id: z.string(),
    task_id: z.string(),
    state: TaskStateSchema,
    try_number: z.number().int(),
    max_tries: z.number().int(),
    operator: z.string(),
    worker: z.string().nullable(),
    start_date: isoTime().nullable(),
    end_date: isoTime().nullable(),
    duration: seconds(),
    marked_by: z.string().nullable(),
    marked_at: isoTime().nullable(),
  })
  .openapi('TaskInstance');

export const TaskTrySchema = z
  .object({
    try_number: z.number().int(),
    state: TryStateSchema,
    worker: z.string(),
    start_date: isoTime(),
    end_date: isoTime().nullable(),
    duration: seconds(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    outcome: z.record(z.string(), z.unknown()).nullable().openapi({
      description: 'what the operator reported (rows written, objects staged…); null until it ends',
    }),
    output: z
      .unknown()
      .nonoptional()
      .openapi({ description: 'the task’s output (what an `fn` returned), JSON; null when none' }),
  })
  .openapi('TaskTry');

/**
 * Lines after line `after`; `done` once the try has ended and every line is in. Streamed as
 * Server-Sent Events with `Accept: text/event-stream` (one `data:` event per chunk, until done).
 */
export const LogChunkSchema = z
  .object({
    lines: list(z.object({ line_no: z.number().int(), text: z.string() })),
    last_line_no: z.number().int(),
    done: z.boolean(),
  })
  .openapi('LogChunk');

export const ClearRunBodySchema = bodyOf('ClearRunBody', {
  dry_run: bool().optional(),
  only_failed: bool().optional(),
});

export const ClearBodySchema = bodyOf('ClearBody', {
  dag_run_id: text(),
  task_ids: stringList().openapi({ description: 'omitted: every task of the run' }),
  include_downstream: bool().optional(),
  include_upstream: bool().optional(),
  include_future: bool().optional().openapi({ description: "the same tasks in the DAG's later runs too" }),
  include_past: bool().optional().openapi({ description: "the same tasks in the DAG's earlier runs too" }),
  only_failed: bool().optional(),
  dry_run: bool().optional().openapi({ description: 'list what would be cleared, and clear nothing' }),
});

export const ClearResultSchema = z
  .object({
    task_instances: list(z.object({ dag_run_id: z.string(), task_id: z.string(), state: TaskStateSchema })),
  })
  .openapi('ClearResult');

const markState = (field: string) =>
  z
    .enum(['success', 'failed'], {
      error: (iss) =>
        iss.input === undefined
          ? 'is required'
          : `must be "success" or "failed", got ${JSON.stringify(iss.input)}`,
    })
    .openapi({ description: `${field}: success or failed` });

export const MarkTaskBodySchema = bodyOf('MarkTaskBody', { new_state: markState('new_state') });
export const MarkRunBodySchema = bodyOf('MarkRunBody', { state: markState('state') });
