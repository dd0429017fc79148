// Upgrading a metadata DB that holds runs: migration 013 rebuilds SQLite's dag_runs (range runs)
// and keeps every run, task instance, try and check, with their foreign keys; 015 gives the users
// there roles.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshPostgresDatabase } from '../../util/testing.ts';
import { migrate, PostgresDb, SqliteDb, type Db } from './index.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function emptyDb(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  if (dialect === 'sqlite') {
    const folder = await mkdtemp(join(tmpdir(), 'downbeat-upgrade-'));
    const db = SqliteDb.open(join(folder, 'metadata.sqlite'));
    cleanup.push(async () => (await db.close(), await rm(folder, { recursive: true, force: true })));
    return db;
  }
  const database = await freshPostgresDatabase('downbeat_upgrade');
  const db = new PostgresDb(database.url);
  cleanup.push(async () => (await db.close(), await database.drop()));
  return db;
}

describe.each(['sqlite', 'postgres'] as const)('upgrading a metadata DB with runs on %s', (dialect) => {
  it('keeps runs, task instances, tries and checks through migration 013', async () => {
    const db = await emptyDb(dialect);
    await migrate(db, { upTo: 12 });
    await db.execute(
      `INSERT INTO backfills (dag_id, start_date, end_date, reprocess, max_active_runs, state, created_at)
       VALUES ('d', 0, 7200000, 'none', 4, 'success', 1)`,
    );
    await db.execute(
      `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, backfill_id, created_at, dag_version)
       VALUES ('d', 'backfill__a', 'backfill', 0, 0, 3600000, 'success', '{}', 1, 1, 'v1'),
              ('d', 'backfill__b', 'backfill', 3600000, 3600000, 7200000, 'failed', '{}', 1, 1, 'v1')`,
    );
    const runs = await db.query<{ id: number }>('SELECT id FROM dag_runs ORDER BY logical_date');
    for (const run of runs)
      await db.execute(
        `INSERT INTO task_instances (run_pk, dag_id, task_id, state, try_number, retries, failures, retry_delay_ms,
           retry_exponential, max_retry_delay_ms, priority, upstream_total, upstream_done, downstream)
         VALUES ($1, 'd', 't', 'success', 1, 0, 0, 0, 0, 0, 1, 0, 0, '[]')`,
        [Number(run.id)],
      );
    const [ti] = await db.query<{ id: number }>('SELECT id FROM task_instances ORDER BY id');
    await db.execute(
      "INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at) VALUES ($1, 1, 'success', 'w', 1, 2)",
      [Number(ti?.id)],
    );
    await db.execute(
      "INSERT INTO check_results (ti_id, try_number, position, name, expected, actual, passed) VALUES ($1, 1, 0, 'c', '0', '0', 1)",
      [Number(ti?.id)],
    );

    expect(await migrate(db)).toContain(13);
    expect(
      await db.query(
        'SELECT run_id, state, kind, intervals, range_run_pk, dag_version FROM dag_runs ORDER BY logical_date',
      ),
    ).toEqual([
      {
        run_id: 'backfill__a',
        state: 'success',
        kind: 'interval',
        intervals: 1,
        range_run_pk: null,
        dag_version: 'v1',
      },
      {
        run_id: 'backfill__b',
        state: 'failed',
        kind: 'interval',
        intervals: 1,
        range_run_pk: null,
        dag_version: 'v1',
      },
    ]);
    expect(await db.query('SELECT max_intervals_per_run FROM backfills')).toEqual([
      { max_intervals_per_run: 1 },
    ]);
    expect(await db.query('SELECT interval_start FROM check_results')).toEqual([{ interval_start: null }]);
    if (dialect === 'sqlite') expect(await db.query('PRAGMA foreign_key_check')).toEqual([]);
    // One run per (DAG, logical date) still holds for interval runs; the cascade still deletes.
    await expect(
      db.execute(
        `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, created_at)
         VALUES ('d', 'manual__a', 'manual', 0, 0, 3600000, 'queued', '{}', 2)`,
      ),
    ).rejects.toThrow();
    await db.execute('DELETE FROM dag_runs WHERE id = $1', [Number(runs[0]?.id)]);
    expect(Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM task_tries'))[0]?.n)).toBe(0);
  });

  it('makes the users there before roles admins (015), and keeps their tokens with no role of their own', async () => {
    const db = await emptyDb(dialect);
    await migrate(db, { upTo: 14 });
    await db.execute("INSERT INTO users (username, password_hash, created_at) VALUES ('ada', 'h', 1)");
    await db.execute(
      "INSERT INTO auth_tokens (token_hash, username, kind, created_at) VALUES ('t', 'ada', 'api', 1)",
    );
    expect(await migrate(db, { upTo: 15 })).toEqual([15]);
    expect(await db.query('SELECT username, role FROM users')).toEqual([{ username: 'ada', role: 'admin' }]);
    expect(await db.query('SELECT role FROM auth_tokens')).toEqual([{ role: null }]);
    await expect(
      db.execute(
        "INSERT INTO users (username, password_hash, role, created_at) VALUES ('x', 'h', 'root', 1)",
      ),
    ).rejects.toThrow();
  });
});
