import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Mutex } from '../../util/index.ts';
import type { Db, DbRow, DbSession, DbValue, Statement } from './db.ts';

/**
 * SQLite through better-sqlite3: one connection, statements run synchronously. Async callers take
 * turns through a mutex, so a transaction's statements are never interleaved with another's.
 * WAL mode lets other processes (the CLI beside a running standalone) read and take turns writing.
 */
export class SqliteDb implements Db {
  /** One connection per file in a process: a second would block the event loop waiting for the first. */
  static open(path: string): SqliteDb {
    const shared = path === ':memory:' ? undefined : open.get(path);
    if (shared) {
      shared.users += 1;
      return shared.db;
    }
    const db = new SqliteDb(path);
    if (path !== ':memory:') open.set(path, { db, users: 1 });
    return db;
  }

  readonly dialect = 'sqlite' as const;
  readonly location: string;
  readonly #db: Database.Database;
  readonly #turn = new Mutex();
  readonly #statements = new Map<string, Database.Statement>();

  readonly #path: string;

  private constructor(path: string) {
    this.#path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.location = `sqlite://${path}`;
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 10000');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('synchronous = NORMAL');
  }

  query<T extends object = DbRow>(sql: string, params: readonly DbValue[] = []): Promise<T[]> {
    return this.#turn.run(() => Promise.resolve(this.#query<T>(sql, params)));
  }

  execute(sql: string, params: readonly DbValue[] = []): Promise<number> {
    return this.#turn.run(() => Promise.resolve(this.#execute(sql, params)));
  }

  batch(statements: readonly Statement[]): Promise<DbRow[][]> {
    return this.transaction((tx) => tx.batch(statements));
  }

  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T> {
    return this.#turn.run(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      const session: DbSession = {
        dialect: 'sqlite',
        query: <R extends object>(sql: string, params: readonly DbValue[] = []) =>
          Promise.resolve(this.#query<R>(sql, params)),
        execute: (sql, params = []) => Promise.resolve(this.#execute(sql, params)),
        // One connection in process: nothing to save by sending them together.
        batch: (statements) =>
          Promise.resolve(statements.map(({ sql, params }) => this.#query<DbRow>(sql, params))),
      };
      try {
        const result = await work(session);
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async close(): Promise<void> {
    const shared = open.get(this.#path);
    if (shared && shared.db === this) {
      shared.users -= 1;
      if (shared.users > 0) return;
      open.delete(this.#path);
    }
    await this.#turn.run(() => Promise.resolve(this.#db.close()));
  }

  #prepare(sql: string): { statement: Database.Statement; order: number[] } {
    const { text, order } = positional(sql);
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return { statement, order };
  }

  #query<T>(sql: string, params: readonly DbValue[]): T[] {
    const { statement, order } = this.#prepare(sql);
    const values = order.map((i) => bindable(params[i - 1]));
    // A write without RETURNING gives no rows (a batch may hold some).
    if (!statement.reader) {
      statement.run(...values);
      return [];
    }
    return statement.all(...values) as T[];
  }

  #execute(sql: string, params: readonly DbValue[]): number {
    if (params.length === 0 && sql.includes(';')) {
      this.#db.exec(sql);
      return 0;
    }
    const { statement, order } = this.#prepare(sql);
    return statement.run(...order.map((i) => bindable(params[i - 1]))).changes;
  }
}

const open = new Map<string, { db: SqliteDb; users: number }>();
const cache = new Map<string, { text: string; order: number[] }>();

/** `$1 … $n` → `?` in order of appearance, with the parameter index for each `?`. */
function positional(sql: string): { text: string; order: number[] } {
  let hit = cache.get(sql);
  if (!hit) {
    const order: number[] = [];
    const text = sql.replace(/'(?:[^']|'')*'|\$(\d+)/g, (match, index: string | undefined) => {
      if (index === undefined) return match;
      order.push(Number(index));
      return '?';
    });
    hit = { text, order };
    cache.set(sql, hit);
  }
  return hit;
}

function bindable(value: DbValue | undefined): string | number | bigint | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
