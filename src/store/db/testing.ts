/**
 * Metadata DBs for tests: a SQLite file in a temp folder, or a fresh PostgreSQL database on the
 * test server (DOWNBEAT_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test),
 * dropped afterwards. PostgreSQL being down fails the tests loudly; they are never skipped.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Db, MetadataDialect } from './db.ts';
import { migrate } from './migrate.ts';
import { PostgresDb } from './postgres-db.ts';
import { SqliteDb } from './sqlite-db.ts';

export const TEST_POSTGRES_URL =
  process.env.DOWNBEAT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDb {
  readonly db: Db;
  /** Opens another connection to the same DB (another process would). */
  readonly url: string;
  drop(): Promise<void>;
}

export async function testDb(dialect: MetadataDialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'downbeat-metadata-'));
    const url = join(folder, 'metadata.sqlite');
    const db = SqliteDb.open(url);
    await migrate(db);
    return {
      db,
      url,
      drop: async () => (await db.close(), await rm(folder, { recursive: true, force: true })),
    };
  }
  const name = `downbeat_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL tests cannot run: ${TEST_POSTGRES_URL} is not reachable (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set DOWNBEAT_TEST_POSTGRES_URL.',
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db = new PostgresDb(url.toString());
  await migrate(db);
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
