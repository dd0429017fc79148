import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  QueryRefusedError,
  QueryTimeoutError,
  tablePageSql,
  WarehouseBusyError,
  WarehouseError,
  WarehouseUnavailableError,
  type ReadOnlyResult,
} from '../../ports/index.ts';
import * as routes from '../api/routes/warehouse.ts';
import type * as Api from '../api/types.ts';
import type { AppEnv, ServedWarehouse, ServerContext } from '../context.ts';
import { toCsv } from '../csv.ts';
import { ApiError, notFound } from '../errors.ts';

/**
 * The warehouse explorer (DESIGN §8), read-only: the tables with counts and columns, a page of a
 * table, and one read-only query. Each adapter decides what a read is with its own engine
 * (ports/warehouse-explorer.ts); here its refusals become answers that say why.
 */
export function warehouseRoutes(ctx: ServerContext): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const use = readWarehouse(ctx);
  const timeoutMs = () => ctx.warehouse?.queryTimeoutMs ?? 0;

  app.openapi(routes.listWarehouseTables, async (c) => {
    const items = await use((warehouse) => warehouse.listTables(), false);
    return c.json({ items, total_entries: items.length } satisfies Api.Page<Api.WarehouseTable>, 200);
  });

  app.openapi(routes.getWarehouseTableRows, async (c) => {
    const { name } = c.req.valid('param');
    const { limit, offset } = c.req.valid('query');
    const { table, page } = await use(async (warehouse) => {
      const found = (await warehouse.listTables()).find((t) => t.name === name);
      if (!found) throw notFound(`warehouse table "${name}"`);
      const rows = await warehouse.readOnlyQuery(tablePageSql(found.name, offset), {
        limit,
        timeoutMs: timeoutMs(),
      });
      return { table: found, page: rows };
    }, true);
    const answer: Api.WarehouseRows = { name: table.name, offset, total_entries: table.row_count, ...page };
    return respond(c, page, answer);
  });

  app.openapi(routes.queryWarehouse, async (c) => {
    const { sql, limit = 1000 } = c.req.valid('json');
    const result = await use(
      (warehouse) => warehouse.readOnlyQuery(sql, { limit, timeoutMs: timeoutMs() }),
      true,
    );
    return respond(c, result, result satisfies Api.WarehouseQueryResult);
  });

  return app;
}

/**
 * Runs `work` on the server's warehouse; what it throws becomes an answer that says why (503
 * naming the connection when it cannot be read). `query`: whether a failure is the caller's
 * query's (else our own reads failed: 503).
 */
export function readWarehouse(
  ctx: ServerContext,
): <T>(work: (warehouse: ServedWarehouse) => Promise<T>, query: boolean) => Promise<T> {
  return async (work, query) => {
    if (!ctx.warehouse) throw new ApiError(503, 'warehouse_unavailable', 'this server reads no warehouse');
    try {
      return await ctx.warehouse.use(work);
    } catch (error) {
      throw answerFor(error, ctx.warehouse.connectionId, query);
    }
  };
}

/** JSON, or CSV when the caller asks for it (`Accept: text/csv`). */
function respond(c: Context<AppEnv>, result: ReadOnlyResult, json: Api.WarehouseQueryResult): Response {
  if (/\btext\/csv\b/i.test(c.req.header('accept') ?? '')) {
    return c.body(toCsv(result.columns, result.rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      ...(result.truncated ? { 'x-truncated': 'true' } : {}),
    });
  }
  return c.json(json);
}

/** The answer for what the warehouse threw: a refusal or a failed query is the caller's. */
function answerFor(error: unknown, connectionId: string, query: boolean): unknown {
  if (error instanceof ApiError) return error;
  if (error instanceof QueryRefusedError)
    return new ApiError(400, 'query_refused', `the query was refused: ${error.message}`);
  if (error instanceof QueryTimeoutError) return new ApiError(400, 'query_timeout', error.message);
  const unavailable =
    error instanceof WarehouseUnavailableError ||
    error instanceof WarehouseBusyError ||
    (error instanceof WarehouseError && !query);
  if (unavailable)
    return new ApiError(
      503,
      'warehouse_unavailable',
      `the warehouse (connection "${connectionId}") cannot be read now: ${(error as Error).message}`,
    );
  if (error instanceof WarehouseError) return new ApiError(400, 'query_failed', error.message);
  return error;
}
