import { z } from '@hono/zod-openapi';
import { answers, DagIdParams, defineRoute, json, RunParams } from '../route-kit.ts';
import { optionalDateQuery, wholeNumberInput } from '../schema-kit.ts';
import { GridSchema, RunChecksSchema, RunStatsSchema } from '../schemas/grid.ts';
import { RunLedgerSchema, RunRejectsSchema } from '../schemas/warehouse.ts';

export const getGrid = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/grid',
  operationId: 'getGrid',
  summary: 'Runs × tasks, a window of runs',
  tags: ['DAGs'],
  'x-role': 'viewer',
  request: {
    params: DagIdParams,
    query: z.object({
      limit: wholeNumberInput({ min: 1, max: 500, default: 50 }),
      before: optionalDateQuery(),
    }),
  },
  responses: answers({ 200: json(GridSchema, 'The newest runs before `before`, oldest first') }),
});

export const getDagStats = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/stats',
  operationId: 'getDagStats',
  summary: 'Per-run durations, rows and checks',
  tags: ['DAGs'],
  'x-role': 'viewer',
  request: {
    params: DagIdParams,
    query: z.object({ limit: wholeNumberInput({ min: 1, max: 2000, default: 200 }) }),
  },
  responses: answers({ 200: json(RunStatsSchema, 'The newest runs, oldest first') }),
});

export const getRunChecks = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/checks',
  operationId: 'getRunChecks',
  summary: "A run's data-quality results and rows written",
  tags: ['Runs'],
  'x-role': 'viewer',
  request: { params: RunParams },
  responses: answers({ 200: json(RunChecksSchema, 'Its checks and rows') }),
});

export const listRunRejects = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/rejects',
  operationId: 'listRunRejects',
  summary:
    'The source records the run read and could not load (table, object, line, reason), paged; a run a range run covered: those of its interval',
  tags: ['Runs'],
  'x-role': 'viewer',
  request: {
    params: RunParams,
    query: z.object({
      limit: wholeNumberInput({ min: 1, max: 1000, default: 100 }),
      offset: wholeNumberInput({ min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }),
    }),
  },
  responses: answers({ 200: json(RunRejectsSchema, 'A page of rejected records') }, { warehouse: true }),
});

export const getRunLedger = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/ledger',
  operationId: 'getRunLedger',
  summary:
    "The run's ledger: per staging table, lines read = rows staged + rejected; its reconciliation checks' results; pass or fail",
  tags: ['Runs'],
  'x-role': 'viewer',
  request: { params: RunParams },
  responses: answers({ 200: json(RunLedgerSchema, 'The ledger') }, { warehouse: true }),
});
