import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { ConfigError } from '../../errors/index.ts';
import {
  quoteIdentifier,
  type BulkRow,
  type ObjectCopyRequest,
  type ObjectCopyResult,
  type ObjectStore,
  type SqlParams,
  type SqlRow,
  type SqlSession,
  type WarehouseDialect,
} from '../../ports/index.ts';
import { withPoolClient } from '../../util/index.ts';
import {
  PostgresWarehouse,
  type PostgresExplorerChecks,
  type PostgresWarehouseOptions,
} from '../postgres/index.ts';
import { copyObject, s3Root, type CopySettings } from './copy-object.ts';
import { insertRows } from './insert-rows.ts';
import { parseAwsKeys } from '../../connections/index.ts';
import { parseRedshiftUri } from './redshift-uri.ts';

export interface RedshiftWarehouseOptions extends PostgresWarehouseOptions {
  /** Connections that hold the lock table while others do the locked work. @default pool */
  readonly lockPool?: pg.Pool;
  /** How staging may COPY from S3; absent: never (objects stream through the worker). */
  readonly copy?: CopySettings;
  /** Tries of a transaction that meets a serialization conflict. @default 8 */
  readonly conflictTries?: number;
}

export interface RedshiftOpenOptions {
  /** Another connection's URI, or undefined when it is not defined (for the AWS keys of COPY). */
  readonly connectionUri?: (connectionId: string) => string | undefined;
}

/** The table whose lock stands for every named lock: Redshift has no advisory locks. */
const LOCK_TABLE = '_downbeat_locks';

/**
 * Amazon Redshift, through PostgreSQL's wire protocol: PostgresWarehouse with what differs
 * overridden. Named locks are one exclusive `LOCK` on a lock table, held in a transaction on a
 * connection of their own (coarser than advisory locks: all names share it). Bulk rows go as
 * multi-row INSERTs (no COPY FROM STDIN); staging loads S3 objects with COPY. Transactions that
 * lose a serializable-isolation conflict are run again, so `work` must be safe to repeat.
 */
export class RedshiftWarehouse extends PostgresWarehouse {
  override readonly dialect: WarehouseDialect = 'redshift';
  readonly #lockPool: pg.Pool;
  readonly #copy: CopySettings | undefined;
  readonly #conflictTries: number;
  readonly #holding = new AsyncLocalStorage<string>();
  #lockTable: Promise<void> | undefined;

  constructor(options: RedshiftWarehouseOptions) {
    // Its own #retrying covers transactions (and single statements): no second loop inside.
    super({ ...options, conflictTries: 1 });
    this.#lockPool = options.lockPool ?? options.pool;
    if (this.#lockPool !== options.pool) this.#lockPool.on('error', () => undefined);
    this.#copy = options.copy;
    this.#conflictTries = options.conflictTries ?? 8;
  }

  /** Opens `redshift://user:password@host:5439/dev?iam_role=…&region=…` (see parseRedshiftUri). */
  static fromUri(uri: string, options: RedshiftOpenOptions = {}): RedshiftWarehouse {
    const settings = parseRedshiftUri(uri);
    return new RedshiftWarehouse({
      pool: new pg.Pool(settings.connection),
      lockPool: new pg.Pool({ ...settings.connection, max: 16, idleTimeoutMillis: 10_000 }),
      location: settings.location,
      copy: settings.copy
        ? {
            region: settings.region,
            authorization: () => {
              if (settings.iamRole) return { iamRole: settings.iamRole };
              if (settings.keys) return settings.keys;
              const aws = options.connectionUri?.(settings.awsConnId);
              if (aws) return parseAwsKeys(aws, settings.awsConnId);
              throw new ConfigError(
                `Redshift's COPY needs credentials to read S3: add iam_role=arn:aws:iam::ACCOUNT:role/NAME to the ` +
                  `redshift connection, or define the "${settings.awsConnId}" connection (aws://ACCESS_KEY_ID:SECRET@/)`,
              );
            },
          }
        : undefined,
    });
  }

  override query<T extends SqlRow = SqlRow>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.#retrying(() => super.query<T>(sql, params));
  }

  override execute(sql: string, params?: SqlParams): Promise<number> {
    return this.#retrying(() => super.execute(sql, params));
  }

  override transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.#retrying(() => super.transaction(work));
  }

  /**
   * A plain ANALYZE: Redshift samples by its own rules and skips a table that has changed little
   * (`analyze_threshold_percent`); PostgreSQL's statistics target is not one of its settings.
   */
  override async refreshStatistics(table: string): Promise<void> {
    await this.execute(`ANALYZE ${quoteIdentifier(table)}`);
  }

  /** Redshift's EXPLAIN has no JSON, and it has no pg_read_all_data: its read-only transaction decides. */
  protected override get explorerChecks(): PostgresExplorerChecks {
    return { lowerPrivileges: false, checkPlan: false };
  }

  /** Not retried: its rows may be a stream that can be read once. */
  override bulkInsert(
    table: string,
    columns: readonly string[],
    input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    return super.transaction((tx) => tx.bulkInsert(table, columns, input));
  }

  protected override insertRows(
    client: pg.PoolClient,
    table: string,
    columns: readonly string[],
    input: AsyncIterable<BulkRow> | Iterable<BulkRow>,
  ): Promise<number> {
    return insertRows(client, table, columns, input);
  }

  /**
   * Holds `LOCK _downbeat_locks` in a transaction on a connection of the lock pool while `work`
   * runs on others; the server releases it if this process dies. Re-entrant within one async
   * context, so a locked step that takes a lock again does not wait for itself.
   */
  override async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.#holding.getStore() !== undefined) return work();
    await this.#ensureLockTable();
    return withPoolClient(this.#lockPool, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(`LOCK TABLE ${LOCK_TABLE}`);
        return await this.#holding.run(name, work);
      } finally {
        await client.query('ROLLBACK').catch(() => undefined);
      }
    });
  }

  canCopyFrom(store: ObjectStore): boolean {
    return this.#copy !== undefined && s3Root(store) !== undefined;
  }

  copyFromObjectStore(tx: SqlSession, request: ObjectCopyRequest): Promise<ObjectCopyResult> {
    if (!this.#copy) throw new ConfigError('this redshift connection has copy=false');
    return copyObject(tx, request, this.#copy);
  }

  override async close(): Promise<void> {
    await super.close();
    if (this.#lockPool !== this.pool) await this.#lockPool.end();
  }

  #ensureLockTable(): Promise<void> {
    this.#lockTable ??= (async () => {
      try {
        await super.execute(`CREATE TABLE IF NOT EXISTS ${LOCK_TABLE} (name VARCHAR(256))`);
      } catch (error) {
        // Two processes creating it at once: one of them reports a clash, and the table is there.
        const [exists] = await super.query(
          `SELECT 1 AS found FROM information_schema.tables WHERE table_name = '${LOCK_TABLE}' AND table_schema = current_schema()`,
        );
        if (!exists) throw error;
      }
    })();
    this.#lockTable.catch(() => (this.#lockTable = undefined));
    return this.#lockTable;
  }

  async #retrying<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tried = 1; ; tried += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (tried >= this.#conflictTries || !isSerializationConflict(error)) throw error;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(2000, 50 * 2 ** tried) * (0.5 + Math.random())),
        );
      }
    }
  }
}

/** Redshift's "Serializable isolation violation" (error 1023), or PostgreSQL's 40001. */
function isSerializationConflict(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === '40001') return true;
    if (typeof e.message === 'string' && /serializable isolation violation/i.test(e.message)) return true;
  }
  return false;
}
