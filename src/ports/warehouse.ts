import { DownbeatError } from '../errors/index.ts';

/** A value bound to a `$name` parameter. Timestamps are passed as ISO text and cast in SQL. */
export type SqlValue = string | number | bigint | boolean | null;
export type SqlParams = Readonly<Record<string, SqlValue>>;

/** A value read back: BIGINTs that fit are numbers, larger ones text; timestamps are Dates. */
export type SqlResultValue = string | number | boolean | Date | null;
export type SqlRow = Record<string, SqlResultValue>;

/** A row for bulkInsert, in the order of the columns given; timestamps as Dates. */
export type BulkRow = readonly (string | number | boolean | Date | null)[];

/** Statements run on one connection: inside a transaction, or one at a time outside. */
export interface SqlSession {
  /** Runs a statement and returns its rows. Parameters are written `$name`. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Runs statements that return no rows; the number of rows they changed. */
  execute(sql: string, params?: SqlParams): Promise<number>;
  /** Appends rows to a table, streamed; columns not named are null. The number of rows. */
  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number>;
}

export type WarehouseDialect = 'duckdb' | 'postgres' | 'redshift';

/**
 * A SQL warehouse: DuckDB, PostgreSQL or Redshift. Write conflicts between concurrent writers are
 * the adapter's to resolve (serialise or retry), never the task's.
 */
export interface Warehouse extends SqlSession {
  readonly dialect: WarehouseDialect;
  /** Where the warehouse is, for messages; never holds a secret. */
  readonly location: string;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` holding an exclusive lock named `name`, shared by every process using this
   * warehouse: a second caller waits until the first is done.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** The table's columns in order, lower-case names; empty when there is no such table. */
  tableColumns(table: string): Promise<{ name: string; type: string }[]>;
  close(): Promise<void>;
}

/** A statement the warehouse refused; names the statement's start and the engine's reason. */
export class WarehouseError extends DownbeatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('warehouse', message, options);
  }
}

/** The warehouse is held by another process (DuckDB allows one). */
export class WarehouseBusyError extends DownbeatError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('warehouse_busy', message, options);
  }
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Quotes an identifier that came from configuration, after checking it is a plain name. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new DownbeatError(
      'invalid_identifier',
      `"${name}" is not a valid SQL identifier (letters, digits, _)`,
    );
  }
  return `"${name}"`;
}
