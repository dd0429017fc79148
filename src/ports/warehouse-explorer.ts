import { DownbeatError } from '../errors/index.ts';

/**
 * What the warehouse explorer (DESIGN §8) reads: the warehouse's own tables, a page of one, and
 * one read-only query. Every adapter decides with its own engine what a read is.
 */

/** A value as JSON carries it: numbers as numbers (text only past 2^53), times as ISO-8601 text. */
export type JsonCell = string | number | boolean | null | readonly JsonCell[] | { [key: string]: JsonCell };

/** A table of the default schema, named as a query writes it. */
export interface WarehouseTable {
  readonly name: string;
  readonly row_count: number;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

export interface ReadOnlyQueryOptions {
  /** Rows returned at most; past them the result is `truncated`. */
  readonly limit: number;
  /** The query is cancelled past this. */
  readonly timeoutMs: number;
}

export interface ReadOnlyResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly JsonCell[])[];
  /** The query had more rows than `limit`. */
  readonly truncated: boolean;
}

/** The explorer's reads, on every warehouse. */
export interface WarehouseExplorer {
  /** The base tables of the default schema, with exact row counts and columns in order. */
  listTables(): Promise<WarehouseTable[]>;
  /**
   * Runs one statement that only reads the warehouse's own tables, in a read-only transaction,
   * within a row limit and a time limit. Anything else is refused (QueryRefusedError) before it
   * runs; past the time limit it is cancelled (QueryTimeoutError).
   */
  readOnlyQuery(sql: string, options: ReadOnlyQueryOptions): Promise<ReadOnlyResult>;
}

/** A query the explorer will not run; the message says why. */
export class QueryRefusedError extends DownbeatError {
  constructor(message: string) {
    super('query_refused', message);
  }
}

/** A query cancelled at its time limit. */
export class QueryTimeoutError extends DownbeatError {
  constructor(timeoutMs: number, options?: { cause?: unknown }) {
    super(
      'query_timeout',
      `the query ran past its time limit of ${timeoutMs / 1000} s and was cancelled`,
      options,
    );
  }
}

/**
 * The explorer cannot reach the warehouse: a DuckDB file no load has written yet, or held by
 * another process; a server that does not answer. Never holds a secret.
 */
export class WarehouseUnavailableError extends DownbeatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('warehouse_unavailable', message, options);
  }
}

/** A table's page of rows as the explorer asks for it: the name quoted as the catalog spells it. */
export function tablePageSql(table: string, offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new QueryRefusedError(`offset ${offset} is not a row number`);
  return `SELECT * FROM ${quoteName(table)}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
}

/** Any catalog name as a quoted identifier (quotes doubled): for names read from the catalog. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
