/**
 * The metadata DB as the engine sees it: SQL with `$1…$n` parameters, on SQLite (embedded) or
 * PostgreSQL (distributed). Queries are written once; the few places where the dialects differ
 * ask `db.dialect`.
 */
export type MetadataDialect = 'sqlite' | 'postgres';

export type DbValue = string | number | bigint | boolean | null;
export type DbRow = Record<string, unknown>;

/** A statement and its `$1…$n` parameters. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly DbValue[];
}

export interface DbSession {
  readonly dialect: MetadataDialect;
  query<T extends object = DbRow>(sql: string, params?: readonly DbValue[]): Promise<T[]>;
  /** Rows changed. */
  execute(sql: string, params?: readonly DbValue[]): Promise<number>;
  /**
   * Runs statements in turn, each seeing the ones before it, and returns each one's rows: on
   * PostgreSQL in one round trip (a queue's claim and end are a few small statements, and the
   * round trips were most of their time). In a transaction, `commit` commits it with them: they
   * are its last statements.
   */
  batch(statements: readonly Statement[], options?: { readonly commit?: boolean }): Promise<DbRow[][]>;
}

export interface Db extends DbSession {
  /** Where the DB is, for messages (no password). */
  readonly location: string;
  /**
   * Runs `work` in one transaction. On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
   * so a transaction that reads then writes never fails half-way on a lock upgrade.
   */
  transaction<T>(work: (tx: DbSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
