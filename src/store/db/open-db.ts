import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors/index.ts';
import type { Db } from './db.ts';
import { PostgresDb } from './postgres-db.ts';
import { SqliteDb } from './sqlite-db.ts';

/**
 * Opens the metadata DB that DOWNBEAT_DATABASE_URL names: `postgres://…`, `sqlite:///path`, or a
 * path; unset, `metadata.sqlite` under DOWNBEAT_HOME.
 */
export function openDb(url: string | undefined, home: string): Db {
  if (!url) return SqliteDb.open(join(home, 'metadata.sqlite'));
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresDb(url);
  if (url.startsWith('sqlite://')) return SqliteDb.open(url.slice('sqlite://'.length) || ':memory:');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return SqliteDb.open(resolve(url));
  throw new ConfigError(
    `DOWNBEAT_DATABASE_URL: "${url.split(':')[0]}:" is not supported (use postgres://… or a SQLite file path)`,
  );
}
