/**
 * Metadata DBs for tests: a SQLite file in a temp folder, or a fresh PostgreSQL database on the
 * test server (src/util/testing.ts), dropped afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../util/testing.ts';
import type { Db, MetadataDialect } from './db.ts';
import { migrate } from './migrate.ts';
import { PostgresDb } from './postgres-db.ts';
import { SqliteDb } from './sqlite-db.ts';

export { TEST_POSTGRES_URL } from '../../util/testing.ts';

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
  const database = await freshPostgresDatabase('downbeat_test');
  const db = new PostgresDb(database.url);
  await migrate(db);
  return {
    db,
    url: database.url,
    drop: async () => {
      await db.close();
      await database.drop();
    },
  };
}
