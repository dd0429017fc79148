import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody, noContent } from '../route-kit.ts';
import { pageOf } from '../schema-kit.ts';
import { PoolBodySchema, PoolPatchSchema, PoolSchema } from '../schemas/pools.ts';

const tags = ['Pools'];
const PoolParams = z.object({ name: z.string().openapi({ description: 'a pool name' }) });

export const listPools = defineRoute({
  method: 'get',
  path: '/pools',
  operationId: 'listPools',
  summary: 'Pools, with their running, queued and open slots',
  tags,
  'x-role': 'viewer',
  responses: answers({ 200: json(pageOf('PoolPage', PoolSchema), 'The pools') }),
});

export const getPool = defineRoute({
  method: 'get',
  path: '/pools/{name}',
  operationId: 'getPool',
  summary: 'One pool',
  tags,
  'x-role': 'viewer',
  request: { params: PoolParams },
  responses: answers({ 200: json(PoolSchema, 'The pool') }),
});

export const createPool = defineRoute({
  method: 'post',
  path: '/pools',
  operationId: 'createPool',
  summary: 'Create a pool',
  tags,
  'x-role': 'op',
  request: { body: jsonBody(PoolBodySchema) },
  responses: answers({ 201: json(PoolSchema, 'The pool') }, { conflict: 'The pool exists: PATCH it' }),
});

export const patchPool = defineRoute({
  method: 'patch',
  path: '/pools/{name}',
  operationId: 'patchPool',
  summary: "Change a pool's slots or description",
  tags,
  'x-role': 'op',
  request: { params: PoolParams, body: jsonBody(PoolPatchSchema, false) },
  responses: answers({ 200: json(PoolSchema, 'The pool, changed') }),
});

export const deletePool = defineRoute({
  method: 'delete',
  path: '/pools/{name}',
  operationId: 'deletePool',
  summary: 'Delete a pool (not default_pool)',
  tags,
  'x-role': 'op',
  request: { params: PoolParams },
  responses: answers(noContent('Deleted')),
});
