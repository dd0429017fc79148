import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DuckDBDataChunkWriter,
  DuckDBInstance,
  JSToDuckDBValueConverter,
  type DuckDBConnection,
} from '@duckdb/node-api';
import {
  quoteIdentifier,
  WarehouseBusyError,
  WarehouseError,
  WarehouseUnavailableError,
  type BulkRow,
  type ObjectCopyOutcome,
  type ObjectCopyRequest,
  type ObjectStore,
  type PreparedCopy,
  type ReadOnlyQueryOptions,
  type ReadOnlyResult,
  type SqlParams,
  type SqlResultValue,
  type SqlRow,
  type SqlSession,
  type Warehouse,
  type WarehouseTable,
} from '../../ports/index.ts';
import { Mutex, NamedMutexes } from '../../util/index.ts';
import { bindableParams } from '../sql-params.ts';
import { listWarehouseTables } from '../warehouse-tables.ts';
import { copyLocalJson, prepareLocalJson, SCRATCH_DATABASE, type LocalJsonRead } from './copy-local-json.ts';
import { prepareLocalJsonFiles } from './copy-local-json-files.ts';
import { duckDbReadOnlyQuery } from './read-only-query.ts';

export interface DuckDbWarehouseOptions {
  /** A file path, or `:memory:`. */
  readonly path: string;
  /** DuckDB's worker threads. @default DuckDB's own (the number of cores) */
  readonly threads?: number;
  /**
   * The most memory DuckDB's buffer pool holds (e.g. `1GB`); beyond it DuckDB evicts or spills to
   * disk. @default DuckDB's own (80% of the machine's memory)
   */
  readonly memoryLimit?: string;
  /**
   * How much DuckDB's write-ahead log may hold before DuckDB writes it into the file (a
   * checkpoint). DuckDB's own 16 MB made a daily load checkpoint every two or three runs, and the
   * checkpoints were much of a daily backfill's time (see BENCHMARKS.md). A larger log is replayed when
   * the file is opened after a crash, and is written into the file on close. @default 256MB
   */
  readonly checkpointThreshold?: string;
  /**
   * Opens the file read-only (DuckDB's access_mode), so that it holds a shared lock only: for a
   * process that never writes (the webserver's explorer). Such an instance has no scratch
   * database, so it cannot stage. @default false
   */
  readonly readOnly?: boolean;
  /** Fails with WarehouseUnavailableError when the file does not exist, instead of making it. @default false */
  readonly mustExist?: boolean;
}

const DEFAULT_CHECKPOINT_THRESHOLD = '256MB';

/** An instance with the in-memory database that files are read into ahead of their load. */
async function withScratch(instance: DuckDBInstance): Promise<DuckDBInstance> {
  const connection = await instance.connect();
  try {
    await connection.run(`ATTACH ':memory:' AS ${SCRATCH_DATABASE}`);
  } finally {
    connection.closeSync();
  }
  return instance;
}

/** One instance per file in this process: DuckDB must not open a file twice. */
const instances = new Map<string, { instance: Promise<DuckDBInstance>; users: number; readOnly: boolean }>();

/**
 * The embedded warehouse. DuckDB lets one process open a file and fails a transaction that writes
 * a row another open transaction wrote; so writers here take turns (one write transaction at a
 * time, in arrival order) and readers run beside them on their own connections.
 */
export class DuckDbWarehouse implements Warehouse {
  readonly dialect = 'duckdb' as const;
  readonly location: string;
  readonly #path: string;
  readonly #instance: DuckDBInstance;
  readonly #idle: DuckDBConnection[] = [];
  readonly #writer = new Mutex();
  readonly #locks = new NamedMutexes();
  readonly #columns = new Map<string, string[]>();
  #closed = false;

  private constructor(path: string, instance: DuckDBInstance) {
    this.#path = path;
    this.#instance = instance;
    this.location = path === ':memory:' ? 'duckdb (in memory)' : `duckdb://${path}`;
  }

  static async open(options: DuckDbWarehouseOptions): Promise<DuckDbWarehouse> {
    const { path } = options;
    const readOnly = options.readOnly ?? false;
    if (path !== ':memory:' && (options.mustExist || readOnly) && !existsSync(path))
      throw new WarehouseUnavailableError(
        `the DuckDB warehouse ${path} does not exist yet: no load has written it`,
      );
    if (path !== ':memory:' && !readOnly) await mkdir(dirname(path), { recursive: true });
    let entry = path === ':memory:' ? undefined : instances.get(path);
    if (entry && entry.readOnly !== readOnly)
      throw new WarehouseError(
        `the DuckDB warehouse ${path} is open ${entry.readOnly ? 'read-only' : 'for writing'} in this process already`,
      );
    if (!entry) {
      const settings: Record<string, string> = {
        autoinstall_known_extensions: 'false',
        allow_community_extensions: 'false',
      };
      if (readOnly) settings.access_mode = 'READ_ONLY';
      if (options.threads) settings.threads = String(options.threads);
      if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
      settings.checkpoint_threshold = options.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD;
      // A join on a range of a short list (a range run's intervals, under 1,000 of them) is made a
      // piecewise merge join by default: ~1.1 s to place a million rows in 720 hours, against 0.2 s
      // with the inequality join this setting lets DuckDB choose (BENCHMARKS.md).
      settings.merge_join_threshold = '0';
      // An ASOF join whose side it believes small (a table empty before the transaction's own
      // load) is made a nested loop: 9 s, not 0.15 s, to place a month's songplays in its hours.
      settings.asof_loop_join_threshold = '0';
      const created = DuckDBInstance.create(path, settings);
      entry = { instance: readOnly ? created : created.then(withScratch), users: 0, readOnly };
      if (path !== ':memory:') instances.set(path, entry);
    }
    entry.users += 1;
    try {
      return new DuckDbWarehouse(path, await entry.instance);
    } catch (error) {
      entry.users -= 1;
      instances.delete(path);
      const message = error instanceof Error ? error.message : String(error);
      if (/Could not set lock|Conflicting lock/i.test(message)) {
        const pid = /PID (\d+)/.exec(message)?.[1];
        throw new WarehouseBusyError(
          `the DuckDB warehouse ${path} is open in another process${pid ? ` (PID ${pid})` : ''}: DuckDB allows one ` +
            'process per file. Stop that process (a running `downbeat standalone`?), run the command through it, ' +
            'or point DOWNBEAT_CONN_WAREHOUSE at another file.',
          { cause: error },
        );
      }
      throw new WarehouseError(`cannot open DuckDB warehouse ${path}: ${message}`, { cause: error });
    }
  }

  query<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.#withConnection((connection) => runQuery<T>(connection, sql, params));
  }

  execute(sql: string, params?: SqlParams): Promise<number> {
    return this.#writer.run(() => this.#withConnection((connection) => runExecute(connection, sql, params)));
  }

  bulkInsert(
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    return this.transaction((tx) => tx.bulkInsert(table, columns, rows));
  }

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.#writer.run(() =>
      this.#withConnection(async (connection) => {
        await connection.run('BEGIN TRANSACTION');
        const session: SqlSession = {
          query: (sql, params) => runQuery(connection, sql, params),
          execute: (sql, params) => runExecute(connection, sql, params),
          bulkInsert: (table, columns, rows) => this.#append(connection, table, columns, rows),
        };
        try {
          const result = await work(session);
          await connection.run('COMMIT');
          return result;
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.#locks.run(name, work);
  }

  /** Files of a local folder: DuckDB reads them itself, on all cores. */
  canCopyFrom(store: ObjectStore): boolean {
    return typeof store.localPath === 'function';
  }

  /** Reads a local file ahead of its load's transaction, on a reader's connection. */
  prepareCopy(request: ObjectCopyRequest): Promise<LocalJsonRead> {
    return prepareLocalJson(this, request);
  }

  /** Reads several local files ahead at once: one read of the list, on all cores. */
  prepareCopies(requests: readonly ObjectCopyRequest[]): Promise<Map<string, LocalJsonRead>> {
    return prepareLocalJsonFiles(this, requests);
  }

  copyFromObjectStore(
    tx: SqlSession,
    request: ObjectCopyRequest,
    prepared?: PreparedCopy,
  ): Promise<ObjectCopyOutcome> {
    return copyLocalJson(tx, request, prepared);
  }

  listTables(): Promise<WarehouseTable[]> {
    return listWarehouseTables(this);
  }

  readOnlyQuery(sql: string, options: ReadOnlyQueryOptions): Promise<ReadOnlyResult> {
    if (this.#closed) throw new WarehouseError(`${this.location} is closed`);
    return duckDbReadOnlyQuery(this.#instance, sql, options);
  }

  async tableColumns(table: string): Promise<{ name: string; type: string }[]> {
    const rows = await this.query<{ name: string; type: string }>(
      `SELECT lower(column_name) AS name, data_type AS type FROM information_schema.columns
       WHERE table_name = $table AND table_schema = current_schema() ORDER BY ordinal_position`,
      { table },
    );
    return rows;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#writer.run(() => Promise.resolve());
    for (const connection of this.#idle.splice(0)) connection.closeSync();
    const entry = instances.get(this.#path);
    if (entry) {
      entry.users -= 1;
      if (entry.users > 0) return;
      instances.delete(this.#path);
    }
    this.#instance.closeSync();
  }

  async #withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.#closed) throw new WarehouseError(`${this.location} is closed`);
    const connection = this.#idle.pop() ?? (await this.#instance.connect());
    try {
      return await work(connection);
    } finally {
      if (this.#closed || this.#idle.length >= 8) connection.closeSync();
      else this.#idle.push(connection);
    }
  }

  async #append(
    connection: DuckDBConnection,
    table: string,
    columns: readonly string[],
    rows: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    quoteIdentifier(table);
    let tableColumns = this.#columns.get(table);
    if (!tableColumns) {
      tableColumns = (
        await runQuery<{ name: string }>(
          connection,
          `SELECT lower(column_name) AS name FROM information_schema.columns
         WHERE table_name = $table AND table_schema = current_schema() ORDER BY ordinal_position`,
          { table },
        )
      ).map((c) => c.name);
      if (tableColumns.length === 0) throw new WarehouseError(`bulk insert: no table "${table}"`);
      this.#columns.set(table, tableColumns);
    }
    const positions = columns.map((name) => {
      const index = tableColumns.indexOf(name.toLowerCase());
      if (index < 0) throw new WarehouseError(`bulk insert: table "${table}" has no column "${name}"`);
      return index;
    });
    const appender = await connection.createAppender(table);
    const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
    const width = tableColumns.length;
    let count = 0;
    try {
      for await (const row of rows) {
        const full: unknown[] = new Array<unknown>(width).fill(null);
        for (let i = 0; i < positions.length; i += 1) full[positions[i] as number] = row[i] ?? null;
        writer.appendRow(full as never);
        count += 1;
      }
      writer.flush();
      appender.closeSync();
    } catch (error) {
      appender.clear();
      throw wrapError(error, `bulk insert into ${table}`);
    }
    return count;
  }
}

async function runQuery<T extends SqlRow>(
  connection: DuckDBConnection,
  sql: string,
  params?: SqlParams,
): Promise<T[]> {
  try {
    const reader = await connection.runAndReadAll(sql, bindableParams(sql, params));
    return reader.getRowObjectsJS().map((row) => normaliseRow(row) as T);
  } catch (error) {
    throw wrapError(error, sql);
  }
}

async function runExecute(connection: DuckDBConnection, sql: string, params?: SqlParams): Promise<number> {
  try {
    const values = bindableParams(sql, params);
    const result =
      Object.keys(values).length > 0 ? await connection.run(sql, values) : await connection.run(sql);
    return Number(result.rowsChanged);
  } catch (error) {
    throw wrapError(error, sql);
  }
}

function normaliseRow(row: Record<string, unknown>): SqlRow {
  const out: SqlRow = {};
  for (const [key, value] of Object.entries(row)) out[key] = normaliseValue(value);
  return out;
}

function normaliseValue(value: unknown): SqlResultValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : String(value);
  }
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  ) {
    return value;
  }
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
}

function wrapError(error: unknown, sql: string): Error {
  if (error instanceof WarehouseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const statement = sql.replace(/\s+/g, ' ').trim().slice(0, 160);
  return new WarehouseError(`${message} (statement: ${statement})`, { cause: error });
}
