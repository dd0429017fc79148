import { z } from '@hono/zod-openapi';
import { RUN_STATES } from '../../../lifecycle/index.ts';
import { answers, DagIdParams, defineRoute, json, jsonBody, RunParams } from '../route-kit.ts';
import { oneOf, optionalDateQuery, pageOf, wholeNumberInput } from '../schema-kit.ts';
import {
  ClearBodySchema,
  ClearResultSchema,
  ClearRunBodySchema,
  DagRunSchema,
  TriggerRunBodySchema,
} from '../schemas/runs.ts';

const tags = ['Runs'];

const STATES_WANTED = `must be among ${RUN_STATES.join(', ')}`;

export const listDagRuns = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns',
  operationId: 'listDagRuns',
  summary: 'Interval runs (or, with range_runs=true, range runs), newest first, paged and filtered',
  tags,
  'x-role': 'viewer',
  request: {
    params: DagIdParams,
    query: z.object({
      limit: wholeNumberInput({ min: 1, max: 1000, default: 100 }),
      offset: wholeNumberInput({ min: 0, max: 10_000_000, default: 0 }),
      state: z
        .string()
        .optional()
        .transform((raw, ctx) => {
          const states = raw ? raw.split(',') : undefined;
          const bad = states?.find((s) => !(RUN_STATES as readonly string[]).includes(s));
          if (bad === undefined) return states as (typeof RUN_STATES)[number][] | undefined;
          ctx.issues.push({ code: 'custom', input: raw, message: `${STATES_WANTED}, got "${bad}"` });
          return z.NEVER;
        })
        .openapi({ type: 'string', description: `states, comma-separated: ${RUN_STATES.join(', ')}` }),
      logical_date_gte: optionalDateQuery(),
      logical_date_lte: optionalDateQuery(),
      range_runs: oneOf(['true', 'false']).default('false'),
    }),
  },
  responses: answers({ 200: json(pageOf('DagRunPage', DagRunSchema), 'A page of runs') }),
});

export const triggerDagRun = defineRoute({
  method: 'post',
  path: '/dags/{dag_id}/dagRuns',
  operationId: 'triggerDagRun',
  summary: 'Trigger a manual run',
  tags,
  'x-role': 'op',
  request: { params: DagIdParams, body: jsonBody(TriggerRunBodySchema) },
  responses: answers(
    { 201: json(DagRunSchema, 'The run, queued') },
    { conflict: 'The DAG has a run for that logical date already' },
  ),
});

export const getDagRun = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}',
  operationId: 'getDagRun',
  summary: 'A run',
  tags,
  'x-role': 'viewer',
  request: { params: RunParams },
  responses: answers({ 200: json(DagRunSchema, 'The run') }),
});

export const clearDagRun = defineRoute({
  method: 'post',
  path: '/dags/{dag_id}/dagRuns/{run_id}/clear',
  operationId: 'clearDagRun',
  summary: 'Clear every task of a run',
  tags,
  'x-role': 'op',
  request: { params: RunParams, body: jsonBody(ClearRunBodySchema, false) },
  responses: answers({ 200: json(ClearResultSchema, 'The task instances cleared (or that would be)') }),
});

export const clearTaskInstances = defineRoute({
  method: 'post',
  path: '/dags/{dag_id}/clearTaskInstances',
  operationId: 'clearTaskInstances',
  summary: 'Clear tasks of a run (and upstream, downstream, future and past runs)',
  tags,
  'x-role': 'op',
  request: { params: DagIdParams, body: jsonBody(ClearBodySchema) },
  responses: answers({ 200: json(ClearResultSchema, 'The task instances cleared (or that would be)') }),
});
