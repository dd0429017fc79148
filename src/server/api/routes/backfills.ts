import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody } from '../route-kit.ts';
import { pageOf, wholeNumberInput, wholeNumberPath } from '../schema-kit.ts';
import { BackfillBodySchema, BackfillPreviewSchema, BackfillSchema } from '../schemas/backfills.ts';

const tags = ['Backfills'];
const BackfillParams = z.object({ id: wholeNumberPath({ min: 1, max: Number.MAX_SAFE_INTEGER }) });

export const previewBackfill = defineRoute({
  method: 'post',
  path: '/backfills/dry_run',
  operationId: 'previewBackfill',
  summary: 'The runs a backfill would create or rerun',
  tags,
  'x-role': 'viewer',
  request: { body: jsonBody(BackfillBodySchema) },
  responses: answers({ 200: json(BackfillPreviewSchema, 'What it would do, interval by interval') }),
});

export const createBackfill = defineRoute({
  method: 'post',
  path: '/backfills',
  operationId: 'createBackfill',
  summary: 'Start a backfill',
  tags,
  'x-role': 'op',
  request: { body: jsonBody(BackfillBodySchema) },
  responses: answers(
    { 201: json(BackfillSchema, 'The backfill, started') },
    { conflict: 'Nothing to backfill in that range' },
  ),
});

export const listBackfills = defineRoute({
  method: 'get',
  path: '/backfills',
  operationId: 'listBackfills',
  summary: 'Backfills with progress',
  tags,
  'x-role': 'viewer',
  request: {
    query: z.object({
      dag_id: z.string().optional().openapi({ description: "only this DAG's" }),
      limit: wholeNumberInput({ min: 1, max: 500, default: 50 }),
    }),
  },
  responses: answers({ 200: json(pageOf('BackfillPage', BackfillSchema), 'The newest backfills') }),
});

export const getBackfill = defineRoute({
  method: 'get',
  path: '/backfills/{id}',
  operationId: 'getBackfill',
  summary: 'A backfill with progress',
  tags,
  'x-role': 'viewer',
  request: { params: BackfillParams },
  responses: answers({ 200: json(BackfillSchema, 'The backfill') }),
});

export const cancelBackfill = defineRoute({
  method: 'post',
  path: '/backfills/{id}/cancel',
  operationId: 'cancelBackfill',
  summary: 'Cancel a backfill',
  tags,
  'x-role': 'op',
  request: { params: BackfillParams },
  responses: answers(
    { 200: json(BackfillSchema, 'The backfill, cancelled') },
    { conflict: 'Only a running backfill can be cancelled' },
  ),
});
