import { z } from '@hono/zod-openapi';
import { bodyOf, bool, isoTime, list } from '../schema-kit.ts';
import { DagRunSchema, RunStateSchema } from './runs.ts';

/** DAGs: the list, one DAG with its tasks and params, pausing, and the files that failed to load. */

export const DagSummarySchema = z
  .object({
    dag_id: z.string(),
    description: z.string().nullable(),
    file: z.string(),
    schedule: z.string().nullable(),
    timezone: z.string(),
    is_paused: z.boolean(),
    is_active: z.boolean(),
    tags: list(z.string()),
    next_run: isoTime().nullable().openapi({
      description: 'the logical date of the next scheduled run; null when paused or unscheduled',
    }),
    // A union, not .nullable(): that would make the DagRun component itself nullable in the document.
    last_run: z.union([DagRunSchema, z.null()]),
    recent_runs: list(
      z.object({
        run_id: z.string(),
        state: RunStateSchema,
        deadline_missed: z.boolean().openapi({ description: "not succeeded by its DAG's deadline" }),
      }),
    ).openapi({ description: "the newest runs' states, newest first (up to 10)" }),
  })
  .openapi('DagSummary');

export const DagTaskSchema = z
  .object({
    task_id: z.string(),
    operator: z.string(),
    upstream: list(z.string()),
    downstream: list(z.string()),
    retries: z.number().int(),
    config: z.unknown().nonoptional(),
  })
  .openapi('DagTask');

/** A DAG's param: what a trigger's conf may give (and must, when required without a default). */
export const DagParamSchema = z
  .object({
    type: z.enum(['string', 'number', 'integer', 'boolean', 'enum']),
    default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
    description: z.string().nullable(),
    required: z.boolean(),
    values: list(z.string())
      .nullable()
      .openapi({ description: "an enum's values; null for the other types" }),
  })
  .openapi('DagParam');

export const DagDetailSchema = DagSummarySchema.extend({
  start_date: isoTime(),
  params: z
    .record(z.string(), DagParamSchema)
    .openapi({ description: "the params a trigger's conf is checked against, by name" }),
  version: z.string().openapi({ description: "a hash of the DAG's definition" }),
  catchup: z.boolean(),
  max_active_runs: z.number().int(),
  tasks: list(DagTaskSchema).openapi({ description: 'in topological order' }),
}).openapi('DagDetail');

export const ImportErrorSchema = z
  .object({ file: z.string(), message: z.string(), updated_at: isoTime() })
  .openapi('ImportError');

export const DagPatchSchema = bodyOf('DagPatch', {
  is_paused: bool(),
});
