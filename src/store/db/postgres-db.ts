import { createHash } from 'node:crypto';
import pg from 'pg';
import { withPoolClient } from '../../util/index.ts';
import type { Db, DbRow, DbSession, DbValue, Statement } from './db.ts';
import { Pipeline } from './pipeline.ts';

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
  const name = nameOf(sql);
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}

function nameOf(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < PREPARED_LIMIT) {
    name = `downbeat_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/** The statements as a pipeline of prepared statements (pipeline.ts): one round trip. */
async function pipelined(client: pg.ClientBase, texts: readonly Statement[]): Promise<DbRow[][]> {
  const pipeline = new Pipeline(
    texts.map(({ sql, params }) => ({ text: sql, values: params, name: nameOf(sql) })),
  );
  client.query(pipeline);
  return pipeline.done;
}

const BEGIN: Statement = { sql: 'BEGIN', params: [] };
const COMMIT: Statement = { sql: 'COMMIT', params: [] };

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

  async batch(statements: readonly Statement[]): Promise<DbRow[][]> {
    if (statements.length === 0) return [];
    // One connection's implicit transaction: the statements commit together.
    return withPoolClient(this.#pool, (client) => pipelined(client, statements));
  }

  /**
   * BEGIN goes with the transaction's first statement where that is a batch, and COMMIT with its
   * last batch when the work says so: a claim or a try's end is then two or three round trips.
   */
  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    return withPoolClient(this.#pool, async (client) => {
      let begun = false;
      let committed = false;
      const open = async () => {
        if (committed) throw new Error('the transaction has already committed');
        if (!begun) await client.query('BEGIN');
        begun = true;
      };
      const session: DbSession = {
        dialect: 'postgres',
        query: async <R extends object>(sql: string, params: readonly DbValue[] = []) => {
          await open();
          return (await client.query(prepared(sql, params))).rows as R[];
        },
        execute: async (sql, params = []) => {
          await open();
          return (await client.query(prepared(sql, params))).rowCount ?? 0;
        },
        batch: async (statements, options = {}) => {
          if (committed) throw new Error('the transaction has already committed');
          const opening = begun ? [] : [BEGIN];
          const closing = options.commit ? [COMMIT] : [];
          begun = true;
          const rows = await pipelined(client, [...opening, ...statements, ...closing]);
          committed = closing.length > 0;
          return rows.slice(opening.length, opening.length + statements.length);
        },
      };
      try {
        const result = await work(session);
        if (begun && !committed) await client.query('COMMIT');
        return result;
      } catch (error) {
        if (begun && !committed) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
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
