import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/index.ts';
import { testDb, type TestDb } from '../db/testing.ts';
import { createBackfill, createRun, syncDags } from '../runs/index.ts';
import {
  countOldAuditRows,
  countOldLogLines,
  countOldRuns,
  deleteOldAuditRows,
  deleteOldLogLines,
  deleteOldRuns,
  listAudit,
  recordAudit,
  type AuditAction,
} from './index.ts';

const { default: diamond } = await import('../testing-dags/diamond.dag.ts');
const DAY = 86_400_000;
const NOW = Date.parse('2026-01-01T00:00:00Z');

/** A run of the diamond DAG at `date`, ended (or left running) `endedDaysAgo` days before NOW. */
async function run(
  db: Db,
  date: string,
  options: { endedDaysAgo: number | null; type?: 'scheduled' | 'manual'; backfillId?: number },
): Promise<number> {
  const pk = await createRun(
    db,
    diamond,
    diamond.runFor(new Date(date), options.type ?? 'scheduled'),
    NOW,
    options.backfillId ?? null,
  );
  if (pk === undefined) throw new Error(`no run at ${date}`);
  const ended = options.endedDaysAgo === null ? null : NOW - options.endedDaysAgo * DAY;
  await db.execute('UPDATE dag_runs SET state = $1, started_at = $2, ended_at = $3 WHERE id = $4', [
    ended === null ? 'running' : 'success',
    NOW - 400 * DAY,
    ended,
    pk,
  ]);
  await db.execute(
    `UPDATE task_instances SET state = $1, try_number = 1, started_at = $2, ended_at = $3 WHERE run_pk = $4`,
    [ended === null ? 'running' : 'success', NOW - 400 * DAY, ended, pk],
  );
  // Each task instance: one try with two log lines and a check result.
  for (const ti of await db.query<{ id: number }>('SELECT id FROM task_instances WHERE run_pk = $1', [pk])) {
    await db.execute(
      `INSERT INTO task_tries (ti_id, try_number, state, worker, started_at, ended_at) VALUES ($1, 1, $2, 'w', $3, $4)`,
      [ti.id, ended === null ? 'running' : 'success', NOW - 400 * DAY, ended],
    );
    for (const line of [1, 2])
      await db.execute(
        "INSERT INTO task_log_lines (ti_id, try_number, line_no, text) VALUES ($1, 1, $2, 'a line')",
        [ti.id, line],
      );
    await db.execute(
      `INSERT INTO check_results (ti_id, try_number, position, name, expected, actual, passed)
       VALUES ($1, 1, 0, 'rows', '0', '0', 1)`,
      [ti.id],
    );
  }
  return pk;
}

const audit = (db: Db, at: number, action: AuditAction) =>
  recordAudit(db, { at, username: 'ada', address: 'cli', action, object: 'x', fields: {} });

async function count(db: Db, sql: string, params: (string | number)[] = []): Promise<number> {
  const [row] = await db.query<{ n: number }>(sql, params);
  return Number(row?.n ?? 0);
}

const linesOf = (db: Db, runPk: number) =>
  count(
    db,
    'SELECT COUNT(*) AS n FROM task_log_lines l JOIN task_instances ti ON ti.id = l.ti_id WHERE ti.run_pk = $1',
    [runPk],
  );

describe.each(['sqlite', 'postgres'] as const)('retention of history (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, NOW);
  });
  afterEach(async () => {
    await t.drop();
  });

  it("deletes the log lines of tries that ended before the cutoff, never a running try's", async () => {
    const old = await run(t.db, '2024-01-01T00:00:00Z', { endedDaysAgo: 100 });
    const recent = await run(t.db, '2024-01-01T01:00:00Z', { endedDaysAgo: 1 });
    // Started 400 days ago and still running: its try has not ended, so its log stays.
    const running = await run(t.db, '2024-01-01T02:00:00Z', { endedDaysAgo: null });
    const cutoff = NOW - 30 * DAY;

    expect(await countOldLogLines(t.db, cutoff)).toBe(8);
    expect(await deleteOldLogLines(t.db, cutoff)).toEqual({ deleted: 8, next: undefined });
    expect([await linesOf(t.db, old), await linesOf(t.db, recent), await linesOf(t.db, running)]).toEqual([
      0, 8, 8,
    ]);
    // The runs, tries and checks stay.
    expect(await count(t.db, 'SELECT COUNT(*) AS n FROM task_tries')).toBe(12);
    expect(await count(t.db, 'SELECT COUNT(*) AS n FROM check_results')).toBe(12);
    expect(await deleteOldLogLines(t.db, cutoff)).toEqual({ deleted: 0, next: undefined });
  });

  it('keeps the lines of a later try that is running, when an earlier try of the task ended long ago', async () => {
    const pk = await run(t.db, '2024-01-01T00:00:00Z', { endedDaysAgo: 100 });
    const [ti] = await t.db.query<{ id: number }>(
      "SELECT id FROM task_instances WHERE run_pk = $1 AND task_id = 'a'",
      [pk],
    );
    await t.db.execute(
      "INSERT INTO task_tries (ti_id, try_number, state, worker, started_at) VALUES ($1, 2, 'running', 'w', $2)",
      [ti?.id ?? 0, NOW],
    );
    await t.db.execute(
      "INSERT INTO task_log_lines (ti_id, try_number, line_no, text) VALUES ($1, 2, 1, 'live')",
      [ti?.id ?? 0],
    );
    await deleteOldLogLines(t.db, NOW - DAY);
    const left = await t.db.query<{ text: string }>('SELECT text FROM task_log_lines');
    expect(left.map((r) => r.text)).toEqual(['live']);
  });

  it('goes on from where a bounded step stopped', async () => {
    for (let h = 0; h < 3; h += 1) await run(t.db, `2024-01-01T0${h}:00:00Z`, { endedDaysAgo: 100 });
    // Bounded to one batch, a step still finishes here (12 task instances fit in a batch).
    const step = await deleteOldLogLines(t.db, NOW - DAY, { maxBatches: 1 });
    expect(step).toEqual({ deleted: 24, next: undefined });
    const [first] = await t.db.query<{ id: number }>('SELECT MIN(id) AS id FROM task_instances');
    await run(t.db, '2024-01-02T00:00:00Z', { endedDaysAgo: 100 });
    // Starting after a task instance id, the ones before it are not visited.
    expect(await deleteOldLogLines(t.db, NOW - DAY, { afterTiId: Number(first?.id) + 100 })).toEqual({
      deleted: 0,
      next: undefined,
    });
    expect((await deleteOldLogLines(t.db, NOW - DAY)).deleted).toBe(8);
  });

  it('deletes old finished runs with everything below them, keeping those a scheduler or backfill needs', async () => {
    const old = await run(t.db, '2024-01-01T00:00:00Z', { endedDaysAgo: 100 });
    const oldManual = await run(t.db, '2024-01-01T01:00:00Z', { endedDaysAgo: 100, type: 'manual' });
    // The newest scheduled run: the schedule goes on from it, however old.
    const newestScheduled = await run(t.db, '2024-01-01T02:00:00Z', { endedDaysAgo: 90 });
    const recent = await run(t.db, '2024-01-01T03:00:00Z', { endedDaysAgo: 1, type: 'manual' });
    const running = await run(t.db, '2024-01-01T04:00:00Z', { endedDaysAgo: null, type: 'manual' });
    const { id: backfillId } = await createBackfill(
      t.db,
      diamond,
      {
        start: new Date('2023-01-01T00:00:00Z'),
        end: new Date('2023-01-01T00:00:00Z'),
        reprocess: 'none',
        maxActiveRuns: 1,
      },
      NOW,
    );
    await t.db.execute("UPDATE backfills SET state = 'running' WHERE id = $1", [backfillId]);
    const ofRunningBackfill = await run(t.db, '2023-01-01T00:00:00Z', { endedDaysAgo: 100, backfillId });

    const cutoff = NOW - 30 * DAY;
    expect(await countOldRuns(t.db, cutoff)).toBe(2);
    expect(await deleteOldRuns(t.db, cutoff)).toBe(2);
    const left = (await t.db.query<{ id: number }>('SELECT id FROM dag_runs ORDER BY id')).map((r) =>
      Number(r.id),
    );
    expect(left).toEqual([newestScheduled, recent, running, ofRunningBackfill]);
    expect(left).not.toContain(old);
    expect(left).not.toContain(oldManual);
    // Their task instances, tries, log lines and checks went with them.
    for (const table of ['task_instances', 'task_tries', 'task_log_lines', 'check_results']) {
      const perRun = table === 'task_log_lines' ? 8 : 4;
      expect(await count(t.db, `SELECT COUNT(*) AS n FROM ${table}`)).toBe(perRun * 4);
    }
  });

  it('deletes the audit rows older than the cutoff, like logs, a batch at a time', async () => {
    for (let i = 0; i < 1200; i += 1) await audit(t.db, NOW - 1_000_000 + i, 'dag.pause');
    await audit(t.db, NOW, 'login');
    expect(await countOldAuditRows(t.db, NOW)).toBe(1200);
    expect(await deleteOldAuditRows(t.db, NOW)).toBe(1200);
    expect((await listAudit(t.db)).map((r) => r.action)).toEqual(['login']);
    expect(await deleteOldAuditRows(t.db, NOW)).toBe(0);
  });
});
