import { DownbeatError } from '../errors/index.ts';
import type { ObjectStore } from './object-store.ts';
import type { WarehouseExplorer } from './warehouse-explorer.ts';

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
 * the adapter's to resolve (serialise or retry), never the task's. The explorer's reads
 * (WarehouseExplorer) are each adapter's own, decided by its engine.
 */
export interface Warehouse extends SqlSession, WarehouseExplorer {
  readonly dialect: WarehouseDialect;
  /** Where the warehouse is, for messages; never holds a secret. */
  readonly location: string;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. An
   * adapter may roll back and run `work` again when it lost a race with a concurrent writer, so
   * `work` must be safe to repeat (open any stream it reads inside it).
   */
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Runs `work` holding an exclusive lock named `name`, shared by every process using this
   * warehouse: a second caller waits until the first is done.
   */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Optional: refreshes the planner's statistics of a table after a bulk load. PostgreSQL and
   * Redshift plan by statistics that autovacuum refreshes only later: a join over a staging table
   * it believes empty is planned as a nested loop, which makes a day's songplays many times slower
   * (see BENCHMARKS.md).
   */
  refreshStatistics?(table: string): Promise<void>;
  /** The table's columns in order, lower-case names; empty when there is no such table. */
  tableColumns(table: string): Promise<{ name: string; type: string }[]>;
  /**
   * Optional: whether this warehouse can read objects of `store` itself (Redshift: COPY from S3;
   * DuckDB: a local folder's files), so that staging need not stream them through the worker.
   * Absent means no.
   */
  canCopyFrom?(store: ObjectStore): boolean;
  /**
   * Optional, present with canCopyFrom: loads one JSON object of a store it can read into a table,
   * inside `tx` (a transaction of this warehouse), rejecting what cannot be loaded. `prepared` is
   * what prepareCopy read of it, where the warehouse has prepareCopy.
   */
  copyFromObjectStore?(
    tx: SqlSession,
    request: ObjectCopyRequest,
    prepared?: PreparedCopy,
  ): Promise<ObjectCopyOutcome>;
  /**
   * Optional, with copyFromObjectStore: reads an object ahead of the transaction that copies it
   * (DuckDB reads a local file into memory on all cores and checks it there, where a failure
   * costs no transaction and holds no writer's turn). Pass the result to copyFromObjectStore, and
   * release it after the transaction, however that ends.
   */
  prepareCopy?(request: ObjectCopyRequest): Promise<PreparedCopy>;
  /**
   * Optional, with prepareCopy: reads several objects ahead at once (DuckDB: one read of a range
   * run's day files, on all cores), each then copied as prepareCopy's result is. Keyed by key.
   */
  prepareCopies?(requests: readonly ObjectCopyRequest[]): Promise<Map<string, PreparedCopy>>;
  close(): Promise<void>;
}

/** How a record's field is read into its column (the staging column types). */
export type CopyValueType = 'text' | 'integer' | 'bigint' | 'double' | 'epoch_ms_timestamp';

/** One JSON object (one record per JSON value, any layout) to load into a table. */
export interface ObjectCopyRequest {
  readonly store: ObjectStore;
  readonly key: string;
  readonly table: string;
  /** The columns filled from each record: its field, how the value is read, whether `""` is null. */
  readonly columns: readonly {
    readonly name: string;
    readonly field: string;
    readonly type: CopyValueType;
    readonly emptyAsNull?: boolean;
  }[];
  /** A column set to the object's key in every row. */
  readonly keyColumn?: string;
  /**
   * A column set to the record's line where the warehouse knows it (DuckDB), or else its rank
   * among the object's records in an order fixed by their values (Redshift's COPY knows no line
   * numbers): the same on every load of the same content.
   */
  readonly rankColumn?: string;
  /** SQL conditions over the columns that reject a record, each with its reason; the first that holds wins. */
  readonly rejectWhen?: readonly { readonly condition: string; readonly reason: string }[];
  /** Rejects returned at most (all are counted). */
  readonly rejectsKept: number;
  /** A longer record is rejected. @default 1 MiB */
  readonly maxRecordBytes?: number;
  /** `ndjson`: a record per line; `json`: documents one after another, pretty-printed or not. @default ndjson */
  readonly framing?: 'ndjson' | 'json';
}

/**
 * The warehouse's load of one object. A warehouse that loads only what it can load exactly as the
 * worker's reader would (DuckDB) may decline an object instead, having written nothing: the object
 * is then streamed through the worker, which names each reject's line.
 */
export type ObjectCopyOutcome = ObjectCopyResult | { readonly declined: string };

/** What prepareCopy read of an object, held until released. */
export interface PreparedCopy {
  release(): Promise<void>;
}

export interface ObjectCopyResult {
  readonly declined?: undefined;
  /** Rows added to the table. */
  readonly rows: number;
  /** Records not loaded. */
  readonly rejected: number;
  /** The first rejects; `line` is 0 where the warehouse does not know it. */
  readonly rejects: readonly { readonly line: number; readonly reason: string }[];
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
