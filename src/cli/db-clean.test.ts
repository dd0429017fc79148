import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../store/admin/index.ts';
import { createRun, syncDags } from '../store/runs/index.ts';
import type { Db } from '../store/db/index.ts';
import { testDb, type TestDb } from '../store/db/testing.ts';
import { runCli } from './testing.ts';

const { default: diamond } = await import('../store/testing-dags/diamond.dag.ts');
const DAY = 86_400_000;

/** A finished run whose tries ended `daysAgo` days ago, each with one log line. */
async function finishedRun(db: Db, hour: number, daysAgo: number): Promise<void> {
  const ended = Date.now() - daysAgo * DAY;
  const pk = await createRun(db, diamond, diamond.runFor(new Date(Date.UTC(2024, 0, 1, hour)), 'manual'), 0);
  await db.execute("UPDATE dag_runs SET state = 'success', started_at = 0, ended_at = $1 WHERE id = $2", [
    ended,
    pk ?? 0,
  ]);
  for (const ti of await db.query<{ id: number }>('SELECT id FROM task_instances WHERE run_pk = $1', [
    pk ?? 0,
  ])) {
    await db.execute(
      "INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at) VALUES ($1, 1, 'success', 'w', 0, $2)",
      [ti.id, ended],
    );
    await db.execute("INSERT INTO task_log_lines (ti_id, try_number, line_no, text) VALUES ($1, 1, 1, 'x')", [
      ti.id,
    ]);
  }
}

describe.each(['sqlite', 'postgres'] as const)('downbeat db clean (%s)', (dialect) => {
  let t: TestDb;
  let folder: string;
  beforeEach(async () => {
    t = await testDb(dialect);
    folder = await mkdtemp(join(tmpdir(), 'downbeat-clean-'));
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, 0);
    await finishedRun(t.db, 0, 60);
    await finishedRun(t.db, 1, 1);
    for (const daysAgo of [60, 45, 1])
      await recordAudit(t.db, {
        at: Date.now() - daysAgo * DAY,
        username: 'ada',
        address: 'cli',
        action: 'dag.pause',
        object: `dag_${daysAgo}`,
        fields: {},
      });
  });
  afterEach(async () => {
    await t.drop();
    await rm(folder, { recursive: true, force: true });
  });

  const cli = (args: string[]) =>
    runCli(args, { DOWNBEAT_HOME: folder, DOWNBEAT_DAGS_FOLDER: folder, DOWNBEAT_DATABASE_URL: t.url });
  const count = async (table: string) =>
    Number((await t.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);

  it('deletes old log lines and audit rows, and with --runs old finished runs; --dry-run only counts', async () => {
    expect(await cli(['db', 'clean', '--before', '30d', '--runs', '--dry-run'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(
        /^would delete 4 log line\(s\) .*, 2 audit row\(s\), and 1 finished run\(s\)/,
      ) as unknown,
    });
    expect([await count('task_log_lines'), await count('dag_runs'), await count('audit_log')]).toEqual([
      8, 2, 3,
    ]);

    expect((await cli(['db', 'clean', '--before', '30d'])).stdout).toMatch(
      /^deleted 4 log line\(s\) .*, 2 audit row\(s\)/,
    );
    expect([await count('task_log_lines'), await count('dag_runs')]).toEqual([4, 2]);
    expect(
      (await t.db.query<{ object: string }>('SELECT object FROM audit_log')).map((r) => r.object),
    ).toEqual(['dag_1']);

    const cutoff = new Date(Date.now() - 30 * DAY).toISOString();
    expect((await cli(['db', 'clean', '--before', cutoff, '--runs'])).stdout).toMatch(
      /^deleted 0 log line\(s\) .*, and 1 finished run\(s\)/,
    );
    expect([await count('task_instances'), await count('dag_runs')]).toEqual([4, 1]);
  });

  it('refuses a cutoff it cannot read, and a log retention under an hour', async () => {
    expect(await cli(['db', 'clean'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--before') as unknown,
    });
    expect((await cli(['db', 'clean', '--before', 'soon'])).status).toBe(2);
    expect(await cli(['scheduler', '--log-retention', '5m'])).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--log-retention must be at least 1h') as unknown,
    });
    expect(await count('task_log_lines')).toBe(8);
  });
});
