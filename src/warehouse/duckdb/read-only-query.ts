import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  QueryRefusedError,
  QueryTimeoutError,
  WarehouseError,
  type ReadOnlyQueryOptions,
  type ReadOnlyResult,
} from '../../ports/index.ts';
import { jsonCell } from '../json-cells.ts';
import { refusal } from './statement-check.ts';

/**
 * The explorer's query on DuckDB. The pipeline's own instance reads files (read_json), so it
 * cannot be locked down with DuckDB's settings: the statement is checked on the tree DuckDB's
 * parser makes of it (statement-check.ts), then run in a read-only transaction on a connection
 * of its own, interrupted at the time limit, and only `limit` rows (and one more, to tell
 * truncation) are fetched from its stream.
 */
export async function duckDbReadOnlyQuery(
  instance: DuckDBInstance,
  sql: string,
  options: ReadOnlyQueryOptions,
): Promise<ReadOnlyResult> {
  const connection = await instance.connect();
  try {
    await check(connection, sql);
    await connection.run('BEGIN TRANSACTION READ ONLY');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, options.timeoutMs);
    try {
      const reader = await connection.streamAndReadUntil(sql, options.limit + 1);
      const rows = reader.getRowsJS();
      return {
        columns: reader.columnNames(),
        rows: rows.slice(0, options.limit).map((row) => row.map(jsonCell)),
        truncated: rows.length > options.limit,
      };
    } catch (error) {
      if (timedOut) throw new QueryTimeoutError(options.timeoutMs, { cause: error });
      throw new WarehouseError(error instanceof Error ? error.message : String(error), { cause: error });
    } finally {
      clearTimeout(timer);
      await connection.run('ROLLBACK').catch(() => undefined);
    }
  } finally {
    connection.closeSync();
  }
}

/** Refuses `sql` unless it is one SELECT that reads only the warehouse's own tables. */
async function check(connection: DuckDBConnection, sql: string): Promise<void> {
  if (sql.trim() === '') throw new QueryRefusedError('there is no statement to run');
  let count: number;
  try {
    count = (await connection.extractStatements(sql)).count;
  } catch (error) {
    throw new QueryRefusedError(error instanceof Error ? error.message : String(error));
  }
  if (count === 0) throw new QueryRefusedError('there is no statement to run');
  if (count > 1) throw new QueryRefusedError(`only one statement may run, and this is ${count}`);
  const reader = await connection.runAndReadAll(
    `SELECT json_serialize_sql($sql::VARCHAR) AS parsed, current_database() AS catalog,
       current_schema() AS schema,
       (SELECT list(lower(table_name)) FROM information_schema.tables
        WHERE table_catalog = current_database() AND table_schema = current_schema()
          AND table_type = 'BASE TABLE') AS tables`,
    { sql },
  );
  const [row] = reader.getRowObjectsJS() as {
    parsed: string;
    catalog: string;
    schema: string;
    tables: string[] | null;
  }[];
  const parsed: unknown = JSON.parse(row?.parsed ?? 'null');
  const refused = refusal(
    parsed,
    {
      tables: new Set(row?.tables ?? []),
      catalog: (row?.catalog ?? '').toLowerCase(),
      schema: (row?.schema ?? '').toLowerCase(),
    },
    /^\s*(\w+)/.exec(sql)?.[1] ?? 'not a SELECT',
  );
  if (refused) throw new QueryRefusedError(refused);
}
