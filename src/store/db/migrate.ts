import { readdir, readFile } from 'node:fs/promises';
import type { Db } from './db.ts';

const FOLDER = new URL('./migrations/', import.meta.url);

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The numbered SQL files of a dialect (`001_initial.sql`, …), in order. */
export async function migrations(dialect: Db['dialect']): Promise<Migration[]> {
  const folder = new URL(`./${dialect}/`, FOLDER);
  const files = (await readdir(folder)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: await readFile(new URL(file, folder), 'utf8'),
    })),
  );
}

/**
 * Applies the migrations not applied yet, each in its own transaction with its bookkeeping row.
 * Safe to run from several processes at once: they take turns, and each migration runs once.
 * Returns the versions it applied. `upTo` stops after that version (an upgrade's test starts there).
 */
export async function migrate(db: Db, options: { upTo?: number } = {}): Promise<number[]> {
  await db.execute(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const applied: number[] = [];
  for (const migration of await migrations(db.dialect)) {
    if (options.upTo !== undefined && migration.version > options.upTo) break;
    // A SQLite migration that rebuilds a table others point at runs with foreign keys off (they
    // cannot be switched inside a transaction), and is checked before it commits.
    const keysOff = db.dialect === 'sqlite' && migration.sql.startsWith('-- foreign_keys: off');
    if (keysOff) await db.execute('PRAGMA foreign_keys = OFF');
    const done = await db
      .transaction(async (tx) => {
        // Postgres: one migrating process at a time (SQLite's BEGIN IMMEDIATE already serialises).
        if (tx.dialect === 'postgres') await tx.execute('SELECT pg_advisory_xact_lock(8147001)');
        const [row] = await tx.query('SELECT version FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (row) return false;
        for (const statement of migration.sql
          .split(/;\s*$/m)
          .map((s) => s.trim())
          .filter(Boolean))
          await tx.execute(statement);
        if (keysOff) {
          const broken = await tx.query('PRAGMA foreign_key_check');
          if (broken.length > 0)
            throw new Error(`migration ${migration.version} left ${broken.length} broken foreign key(s)`);
        }
        await tx.execute('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          Date.now(),
        ]);
        return true;
      })
      .finally(async () => {
        if (keysOff) await db.execute('PRAGMA foreign_keys = ON');
      });
    if (done) applied.push(migration.version);
  }
  return applied;
}
