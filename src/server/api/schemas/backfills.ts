import { z } from '@hono/zod-openapi';
import { BACKFILL_STATES, REPROCESS } from '../../../lifecycle/index.ts';
import { bodyOf, dateInput, isoTime, list, oneOf, optionalWholeNumber, text } from '../schema-kit.ts';
import { RunStateSchema } from './runs.ts';

/** Backfills: a dry run's preview, the backfill with its progress. */

export const ReprocessSchema = z.enum(REPROCESS).openapi('Reprocess');

const INTERVALS_WANTED = 'must be a whole number ≥ 1 or "all"';
const intervalsPerRun = () =>
  z.union(
    [
      z
        .number({ error: INTERVALS_WANTED })
        .int({ error: INTERVALS_WANTED })
        .min(1, { error: INTERVALS_WANTED }),
      z.literal('all', { error: INTERVALS_WANTED }),
    ],
    { error: INTERVALS_WANTED },
  );

export const BackfillBodySchema = bodyOf('BackfillBody', {
  dag_id: text(250),
  from_date: dateInput(),
  to_date: dateInput().openapi({ description: 'exclusive' }),
  reprocess_behavior: oneOf(REPROCESS).optional(),
  max_active_runs: optionalWholeNumber({ min: 1, max: 1000 }).openapi({
    description: "default the DAG's max_active_runs",
  }),
  max_intervals_per_run: intervalsPerRun().optional().openapi({
    description:
      "consecutive intervals one execution (a range run) covers, or all; default the DAG's backfillPolicy. A failed range is split in halves down to single intervals",
  }),
});

export const BackfillPreviewSchema = z
  .object({
    runs: list(
      z.object({
        logical_date: isoTime(),
        action: z.enum(['create', 'rerun', 'adopt', 'skip']),
        // A union, not .nullable(): that would make the RunState component itself nullable.
        existing: z.union([RunStateSchema, z.null()]),
      }),
    ),
    range_runs: list(
      z.object({
        from_date: isoTime(),
        to_date: isoTime().openapi({ description: 'exclusive' }),
        intervals: z.number().int(),
      }),
    ).openapi({
      description: 'the range runs it would make: each over several consecutive intervals, in one execution',
    }),
  })
  .openapi('BackfillPreview');

export const BackfillSchema = z
  .object({
    id: z.number().int(),
    dag_id: z.string(),
    from_date: isoTime(),
    to_date: isoTime(),
    reprocess_behavior: ReprocessSchema,
    max_active_runs: z.number().int(),
    max_intervals_per_run: z.union([z.number().int(), z.literal('all')]),
    state: z
      .enum(BACKFILL_STATES)
      .openapi({ description: 'creating (its runs are being made), running, success, failed or cancelled' }),
    created_at: isoTime(),
    completed_at: isoTime().nullable(),
    progress: z.object({
      total: z.number().int(),
      success: z.number().int(),
      failed: z.number().int(),
      running: z.number().int(),
      queued: z.number().int(),
    }),
  })
  .openapi('Backfill');
