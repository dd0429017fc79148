/**
 * The metadata DB itself: connections in two dialects (SQLite embedded, PostgreSQL distributed),
 * the versioned migrations that run at start, and the few SQL helpers every query module shares.
 */
export type { Db, DbRow, DbSession, DbValue, MetadataDialect } from './db.ts';
export { openDb } from './open-db.ts';
export { migrate, migrations } from './migrate.ts';
export type { Migration } from './migrate.ts';
export { PostgresDb } from './postgres-db.ts';
export { SqliteDb } from './sqlite-db.ts';
export { placeholders, QUEUE_CHANNEL, sqlList, type Statement } from './sql.ts';
