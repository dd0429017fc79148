import { createHash } from 'node:crypto';
import pg from 'pg';
import { inPoolTransaction } from '../../util/index.ts';
import type { Db, DbRow, DbSession, DbValue } from './db.ts';

// BIGINT columns hold epoch milliseconds and ids: read them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** How many statements are kept prepared on each connection; the others are planned every time. */
const PREPARED_LIMIT = 1000;
const preparedNames = new Map<string, string>();

/**
 * A statement with parameters, named so that each connection parses and plans it once (the queue's
 * claims and ends are a few small statements, run thousands of times). A statement without
 * parameters goes as a simple query: it may hold several (a migration).
 */
function prepared(sql: string, params: readonly DbValue[]): pg.QueryConfig<DbValue[]> {
  const values = [...params];
  if (values.length === 0) return { text: sql, values };
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < PREPARED_LIMIT) {
    name = `downbeat_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    preparedNames.set(sql, name);
  }
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}

/** PostgreSQL through a pool of connections. */
export class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  readonly location: string;
  readonly #pool: pg.Pool;

  constructor(url: string, options: { max?: number } = {}) {
    this.#pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
    // An idle connection that dies (a restarted server) must not crash the process.
    this.#pool.on('error', () => undefined);
    const parsed = new URL(url);
    this.location = `postgres://${parsed.host}${parsed.pathname}`;
  }

  async query<T extends object = DbRow>(sql: string, params: readonly DbValue[] = []): Promise<T[]> {
    return (await this.#pool.query(prepared(sql, params))).rows as T[];
  }

  async execute(sql: string, params: readonly DbValue[] = []): Promise<number> {
    return (await this.#pool.query(prepared(sql, params))).rowCount ?? 0;
  }

  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    return inPoolTransaction(this.#pool, (client) => {
      const session: DbSession = {
        dialect: 'postgres',
        query: async <R extends object>(sql: string, params: readonly DbValue[] = []) =>
          (await client.query(prepared(sql, params))).rows as R[],
        execute: async (sql, params = []) => (await client.query(prepared(sql, params))).rowCount ?? 0,
      };
      return work(session);
    });
  }

  /** A dedicated connection for LISTEN, outside the pool. */
  listenerClient(): pg.Client {
    return new pg.Client({
      connectionString: (this.#pool.options as { connectionString: string }).connectionString,
    });
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
