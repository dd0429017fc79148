import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody, RunParams, TaskParams } from '../route-kit.ts';
import { pageOf, wholeNumberInput, wholeNumberPath } from '../schema-kit.ts';
import {
  DagRunSchema,
  LogChunkSchema,
  MarkRunBodySchema,
  MarkTaskBodySchema,
  TaskInstanceSchema,
  TaskTrySchema,
} from '../schemas/runs.ts';

const tags = ['Task instances'];

export const listTaskInstances = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances',
  operationId: 'listTaskInstances',
  summary: "A run's task instances",
  tags,
  'x-role': 'viewer',
  request: { params: RunParams },
  responses: answers({ 200: json(pageOf('TaskInstancePage', TaskInstanceSchema), 'In topological order') }),
});

export const getTaskInstance = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}',
  operationId: 'getTaskInstance',
  summary: 'A task instance',
  tags,
  'x-role': 'viewer',
  request: { params: TaskParams },
  responses: answers({ 200: json(TaskInstanceSchema, 'The task instance') }),
});

export const listTaskTries = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/tries',
  operationId: 'listTaskTries',
  summary: "A task instance's tries",
  tags,
  'x-role': 'viewer',
  request: { params: TaskParams },
  responses: answers({ 200: json(pageOf('TaskTryPage', TaskTrySchema), 'Its tries, first first') }),
});

export const getTaskLog = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try}',
  operationId: 'getTaskLog',
  summary: "A try's log lines after `after`; Server-Sent Events with Accept: text/event-stream",
  tags,
  'x-role': 'viewer',
  request: {
    params: TaskParams.extend({ try: wholeNumberPath({ min: 1, max: 100_000 }) }),
    query: z.object({ after: wholeNumberInput({ min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }) }),
  },
  responses: answers({
    200: {
      description: 'The lines after `after`; as a stream, one `data:` event per chunk until done',
      content: {
        'application/json': { schema: LogChunkSchema },
        'text/event-stream': {
          schema: z.string().openapi({ description: 'events whose data is a LogChunk, as JSON' }),
        },
      },
    },
  }),
});

export const markTaskInstance = defineRoute({
  method: 'patch',
  path: '/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}',
  operationId: 'markTaskInstance',
  summary: 'Mark a task instance success or failed',
  tags,
  'x-role': 'op',
  request: { params: TaskParams, body: jsonBody(MarkTaskBodySchema) },
  responses: answers(
    { 200: json(TaskInstanceSchema, 'The task instance, marked') },
    { conflict: 'The task is running: mark it once its try has ended' },
  ),
});

export const markDagRun = defineRoute({
  method: 'patch',
  path: '/dags/{dag_id}/dagRuns/{run_id}',
  operationId: 'markDagRun',
  summary: 'Mark a run success or failed',
  tags: ['Runs'],
  'x-role': 'op',
  request: { params: RunParams, body: jsonBody(MarkRunBodySchema) },
  responses: answers({ 200: json(DagRunSchema, 'The run, marked') }),
});
