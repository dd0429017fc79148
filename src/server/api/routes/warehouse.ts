import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody } from '../route-kit.ts';
import { pageOf, wholeNumberInput } from '../schema-kit.ts';
import {
  WarehouseQueryBodySchema,
  WarehouseQueryResultSchema,
  WarehouseRowsSchema,
  WarehouseTableSchema,
} from '../schemas/warehouse.ts';

const tags = ['Warehouse'];
export const MAX_PAGE_ROWS = 1000;

const csv = {
  'text/csv': {
    schema: z.string().openapi({ description: 'a header line, then the rows (X-Truncated: true when cut)' }),
  },
};

export const listWarehouseTables = defineRoute({
  method: 'get',
  path: '/warehouse/tables',
  operationId: 'listWarehouseTables',
  summary: "The warehouse's tables (default schema) with row counts and columns",
  tags,
  'x-role': 'viewer',
  responses: answers(
    { 200: json(pageOf('WarehouseTablePage', WarehouseTableSchema), 'The tables') },
    { warehouse: true },
  ),
});

export const getWarehouseTableRows = defineRoute({
  method: 'get',
  path: '/warehouse/tables/{name}/rows',
  operationId: 'getWarehouseTableRows',
  summary: 'A page of a table, in storage order; CSV with Accept: text/csv',
  tags,
  'x-role': 'viewer',
  request: {
    params: z.object({
      name: z.string().openapi({ description: 'a table, as GET /warehouse/tables names it' }),
    }),
    query: z.object({
      limit: wholeNumberInput({ min: 1, max: MAX_PAGE_ROWS, default: 100 }),
      offset: wholeNumberInput({ min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 }),
    }),
  },
  responses: answers(
    {
      200: {
        description: 'A page of rows',
        content: { 'application/json': { schema: WarehouseRowsSchema }, ...csv },
      },
    },
    { warehouse: true },
  ),
});

export const queryWarehouse = defineRoute({
  method: 'post',
  path: '/warehouse/query',
  operationId: 'queryWarehouse',
  summary:
    "One read-only SELECT of the warehouse's own tables, within a row and a time limit; CSV with Accept: text/csv",
  tags,
  'x-role': 'viewer',
  request: { body: jsonBody(WarehouseQueryBodySchema) },
  responses: answers(
    {
      200: {
        description: 'Its result',
        content: { 'application/json': { schema: WarehouseQueryResultSchema }, ...csv },
      },
    },
    { warehouse: true },
  ),
});
