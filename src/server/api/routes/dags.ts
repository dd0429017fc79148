import { answers, DagIdParams, defineRoute, json, jsonBody } from '../route-kit.ts';
import { pageOf } from '../schema-kit.ts';
import { DagDetailSchema, DagPatchSchema, DagSummarySchema, ImportErrorSchema } from '../schemas/dags.ts';

const tags = ['DAGs'];

export const listDags = defineRoute({
  method: 'get',
  path: '/dags',
  operationId: 'listDags',
  summary: 'List DAGs with schedule, next run and recent run states',
  tags,
  'x-role': 'viewer',
  responses: answers({ 200: json(pageOf('DagSummaryPage', DagSummarySchema), 'The DAGs') }),
});

export const getDag = defineRoute({
  method: 'get',
  path: '/dags/{dag_id}',
  operationId: 'getDag',
  summary: 'A DAG with its tasks and edges',
  tags,
  'x-role': 'viewer',
  request: { params: DagIdParams },
  responses: answers({ 200: json(DagDetailSchema, 'The DAG') }),
});

export const patchDag = defineRoute({
  method: 'patch',
  path: '/dags/{dag_id}',
  operationId: 'patchDag',
  summary: 'Pause or unpause a DAG',
  tags,
  'x-role': 'op',
  request: { params: DagIdParams, body: jsonBody(DagPatchSchema) },
  responses: answers({ 200: json(DagDetailSchema, 'The DAG, paused or not') }),
});

export const listImportErrors = defineRoute({
  method: 'get',
  path: '/importErrors',
  operationId: 'listImportErrors',
  summary: 'DAG files that failed to load, with their errors',
  tags,
  'x-role': 'viewer',
  responses: answers({
    200: json(pageOf('ImportErrorPage', ImportErrorSchema), 'The files and their errors'),
  }),
});
