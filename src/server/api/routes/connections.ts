import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody, noContent } from '../route-kit.ts';
import { pageOf } from '../schema-kit.ts';
import { ConnectionBodySchema, ConnectionSchema } from '../schemas/admin.ts';

const tags = ['Connections'];

export const listConnections = defineRoute({
  method: 'get',
  path: '/connections',
  operationId: 'listConnections',
  summary: 'Connections, secrets masked',
  tags,
  'x-role': 'admin',
  responses: answers({
    200: json(pageOf('ConnectionPage', ConnectionSchema), 'Stored and environment connections'),
  }),
});

export const createConnection = defineRoute({
  method: 'post',
  path: '/connections',
  operationId: 'createConnection',
  summary: 'Add or replace a stored connection',
  tags,
  'x-role': 'admin',
  request: { body: jsonBody(ConnectionBodySchema) },
  responses: answers({ 201: json(ConnectionSchema, 'The connection, its secrets masked') }),
});

export const deleteConnection = defineRoute({
  method: 'delete',
  path: '/connections/{connection_id}',
  operationId: 'deleteConnection',
  summary: 'Delete a stored connection',
  tags,
  'x-role': 'admin',
  request: { params: z.object({ connection_id: z.string() }) },
  responses: answers(noContent('Deleted')),
});
