import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  quoteIdentifier,
  WarehouseError,
  type BulkRow,
  type ReadOnlyQueryOptions,
  type ReadOnlyResult,
  type SqlParams,
  type SqlRow,
  type SqlSession,
  type Warehouse,
  type WarehouseDialect,
  type WarehouseTable,
} from '../../ports/index.ts';
import { inPoolTransaction, withPoolClient } from '../../util/index.ts';
import { listWarehouseTables } from '../warehouse-tables.ts';
import { runStatement as run } from './pg-statements.ts';
import { postgresReadOnlyQuery, type PostgresExplorerChecks } from './read-only-query.ts';

// TIMESTAMP (without time zone) holds UTC here: read it as UTC, not as the process's local time.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (text) => new Date(`${text.replace(' ', 'T')}Z`));
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => toNumber(text));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (text) => toNumber(text));

/**
 * The statistics target of the ANALYZE after a load: 10 (a 3,000-row sample, 10 histogram buckets)
 * instead of PostgreSQL's 100 (30,000 rows). The loads that follow need row counts and coarse
 * distributions to choose hash joins over nested loops, and the full ANALYZE after every day's
 * staging was a large share of a daily backfill's time (see BENCHMARKS.md).
 */
const STATISTICS_TARGET = 10;

function toNumber(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) || (!Number.isInteger(n) && Number.isFinite(n)) ? n : text;
}

function rows<T extends SqlRow>(result: pg.QueryResult): T[] {
  return result.rows as T[];
}

export interface PostgresWarehouseOptions {
  /** The connections; the warehouse ends the pool when it is closed. */
  readonly pool: pg.Pool;
  /** Where the warehouse is, for messages; never holds a secret. */
  readonly location: string;
  /** Tries of a transaction that loses a race with a concurrent writer (isWriteConflict). @default 6 */
  readonly conflictTries?: number;
}

/**
 * A PostgreSQL warehouse (distributed mode). Writers run in parallel: PostgreSQL's row locks
 * resolve most of what DuckDB makes this project serialise, and a transaction that loses a race
 * with a concurrent writer (isWriteConflict) is run again, so `work` must be safe to repeat.
 * Named locks are session advisory locks, so they hold across processes. Bulk loads stream
 * through COPY FROM STDIN. Other engines that speak PostgreSQL's protocol (Redshift) extend it
 * and override what differs.
 */
export class PostgresWarehouse implements Warehouse {
  readonly dialect: WarehouseDialect = 'postgres';
  readonly location: string;
  protected readonly pool: pg.Pool;
  readonly #conflictTries: number;

  /** `url`: `postgres://user:password@host:port/database`. */
  constructor(source: string | PostgresWarehouseOptions) {
    if (typeof source === 'string') {
      this.pool = new pg.Pool({ connectionString: source, max: 8 });
      const parsed = new URL(source);
      this.location = `postgres://${parsed.host}${parsed.pathname}`;
      this.#conflictTries = 6;
    } else {
      this.pool = source.pool;
      this.location = source.location;
      this.#conflictTries = source.conflictTries ?? 6;
    }
    this.pool.on('error', () => undefined);
  }

  async query<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    return rows<T>(await run(this.pool, sql, params));
  }

  async execute(sql: string, params?: SqlParams): Promise<number> {
    return (await run(this.pool, sql, params)).rowCount ?? 0;
  }

  /** Not retried: its rows may be a stream that can be read once. */
  bulkInsert(
    table: string,
    columns: readonly string[],
    input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    return inPoolTransaction(this.pool, (client) => this.session(client).bulkInsert(table, columns, input));
  }

  async transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    for (let tried = 1; ; tried += 1) {
      try {
        return await inPoolTransaction(this.pool, (client) => work(this.session(client)));
      } catch (error) {
        if (tried >= this.#conflictTries || !isWriteConflict(error)) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(1000, 25 * 2 ** tried) * (0.5 + Math.random())),
        );
      }
    }
  }

  /** The statements of one transaction, on its client. */
  protected session(client: pg.PoolClient): SqlSession {
    return {
      query: async <R extends SqlRow>(sql: string, params?: SqlParams) =>
        rows<R>(await run(client, sql, params)),
      execute: async (sql, params) => (await run(client, sql, params)).rowCount ?? 0,
      bulkInsert: (table, columns, input) => this.insertRows(client, table, columns, input),
    };
  }

  /** How bulkInsert writes rows on a transaction's client: COPY FROM STDIN. */
  protected insertRows(
    client: pg.PoolClient,
    table: string,
    columns: readonly string[],
    input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    return copyRows(client, table, columns, input);
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    return withPoolClient(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
      try {
        return await work();
      } finally {
        await client
          .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name])
          .catch(() => undefined);
      }
    });
  }

  async refreshStatistics(table: string): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.execute(`SET LOCAL default_statistics_target = ${STATISTICS_TARGET}`);
      await tx.execute(`ANALYZE ${quoteIdentifier(table)}`);
    });
  }

  async tableColumns(table: string): Promise<{ name: string; type: string }[]> {
    return this.query<{ name: string; type: string }>(
      `SELECT lower(column_name) AS name, data_type AS type FROM information_schema.columns
       WHERE table_name = $table AND table_schema = current_schema() ORDER BY ordinal_position`,
      { table },
    );
  }

  listTables(): Promise<WarehouseTable[]> {
    return listWarehouseTables(this);
  }

  readOnlyQuery(sql: string, options: ReadOnlyQueryOptions): Promise<ReadOnlyResult> {
    return postgresReadOnlyQuery(this.pool, this.location, sql, options, this.explorerChecks);
  }

  /** What the explorer's query checks beyond PostgreSQL's parser and its read-only transaction. */
  protected get explorerChecks(): PostgresExplorerChecks {
    return { lowerPrivileges: true, checkPlan: true };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * Whether a transaction failed only because a concurrent one got there first, so running it again
 * (on a fresh snapshot) succeeds: a serialization failure, a deadlock, or a unique violation —
 * MERGE's INSERT branch does not turn into its UPDATE branch when another transaction inserts the
 * same key meanwhile, nor does DELETE-then-INSERT of a key (PostgreSQL's docs: retry).
 */
function isWriteConflict(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '40001' || e.code === '40P01' || e.code === '23505') return true;
  }
  return false;
}

/**
 * Streams rows into a table with COPY FROM STDIN (text format), in chunks of about 64 KiB with
 * backpressure: memory stays flat whatever the number of rows. Returns the number of rows.
 */
async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
): Promise<number> {
  const statement = `COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN`;
  let count = 0;
  async function* chunks(): AsyncIterable<string> {
    let text = '';
    for await (const row of input) {
      for (let i = 0; i < columns.length; i += 1) {
        if (i > 0) text += '\t';
        text += copyText(row[i]);
      }
      text += '\n';
      count += 1;
      if (text.length >= 65_536) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
  try {
    await pipeline(Readable.from(chunks()), client.query(copyFrom(statement)));
  } catch (error) {
    throw new WarehouseError(`bulk insert into ${table}: ${(error as Error).message}`, { cause: error });
  }
  return count;
}

/** A value in COPY's text format: \N for null, UTC timestamps, escaped text. */
function copyText(value: BulkRow[number] | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
