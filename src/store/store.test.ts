import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostgresDb, SqliteDb } from './db/index.ts';
import { testDb, type TestDb } from './db/testing.ts';
import { backfillProgress } from './read/index.ts';
import {
  cancelBackfill,
  createBackfill,
  planBackfill,
  createRun,
  getDagRow,
  startQueuedRuns,
  syncDags,
} from './runs/index.ts';
import { claimTasks, endTry, requeueZombies } from './queue/index.ts';
import { migrate, type Db } from './db/index.ts';

const { default: diamond } = await import('./testing-dags/diamond.dag.ts');
const HOUR = 3_600_000;
const T0 = Date.parse('2018-11-01T00:00:00Z');
const NOW = Date.parse('2026-01-01T00:00:00Z');

/** Another connection, as another process has: on SQLite a process has one, so another process. */
function otherConnection(t: TestDb): Db {
  return t.db.dialect === 'postgres' ? new PostgresDb(t.url) : SqliteDb.open(t.url);
}

/** Runs `body` (with `db` open on the test DB) in a child process; resolves to what it prints as JSON. */
function inChildProcess(t: TestDb, body: string): Promise<unknown> {
  const script = `
    const { openDb } = await import('./src/store/db/index.ts');
    const { loadDagFolder } = await import('./src/loader/index.ts');
    const db = openDb(${JSON.stringify(t.url)}, '.');
    const result = await (async () => { ${body} })();
    await db.close();
    process.stdout.write(JSON.stringify(result ?? null));`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as unknown);
      },
    );
  });
}

async function states(db: Db, runPk: number): Promise<Record<string, string>> {
  const rows = await db.query<{ task_id: string; state: string }>(
    'SELECT task_id, state FROM task_instances WHERE run_pk = $1',
    [runPk],
  );
  return Object.fromEntries(rows.map((r) => [r.task_id, r.state]));
}

async function runTask(db: Db, worker: string, now: number, state: 'success' | 'failed' = 'success') {
  const [task] = await claimTasks(db, worker, 1, now);
  if (!task) throw new Error('nothing to claim');
  return {
    task,
    end: await endTry(
      db,
      { tiId: task.tiId, tryNumber: task.tryNumber, worker, state, outcome: {}, log: ['a line'] },
      now,
    ),
  };
}

describe.each(['sqlite', 'postgres'] as const)('metadata store on %s', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await testDb(dialect);
    await syncDags(
      t.db,
      { dags: new Map([['diamond', diamond]]), files: new Map([['diamond', 'diamond.dag.ts']]), errors: [] },
      NOW,
    );
  });
  afterEach(async () => t.drop());

  it('migrates once, from several connections at once', async () => {
    const others = [otherConnection(t), otherConnection(t)];
    const applied = await Promise.all([migrate(t.db), ...others.map((o) => migrate(o))]);
    expect(applied.flat()).toEqual([]);
    await Promise.all(others.map((o) => o.close()));
  });

  it('keeps DAGs: new ones paused, gone ones inactive, load errors listed', async () => {
    expect(await getDagRow(t.db, 'diamond')).toMatchObject({
      is_paused: 1,
      is_active: 1,
      schedule: '@hourly',
      max_active_runs: 2,
    });
    await t.db.execute('UPDATE dags SET is_paused = 0');
    await syncDags(t.db, { dags: new Map([['diamond', diamond]]), files: new Map(), errors: [] }, NOW + 1);
    expect(await getDagRow(t.db, 'diamond')).toMatchObject({ is_paused: 0 });
    await syncDags(
      t.db,
      { dags: new Map(), files: new Map(), errors: [{ file: 'bad.dag.ts', message: 'boom' }] },
      NOW + 2,
    );
    expect(await getDagRow(t.db, 'diamond')).toMatchObject({ is_active: 0 });
    expect(await t.db.query('SELECT file, message FROM dag_import_errors')).toEqual([
      { file: 'bad.dag.ts', message: 'boom' },
    ]);
  });

  it('creates one run per logical date, even when several processes create it at once', async () => {
    const create = inChildProcess.bind(
      null,
      t,
      `const { createRun } = await import('./src/store/runs/index.ts');
      const folder = await loadDagFolder(${JSON.stringify(new URL('./testing-dags/', import.meta.url).pathname)});
      const diamond = folder.dags.get('diamond');
      return (await createRun(db, diamond, diamond.runFor(new Date(${T0}), 'scheduled'), ${NOW})) ?? null;`,
    );
    const created = await Promise.all([create(), create(), create()]);
    expect(created.filter((id) => id !== null)).toHaveLength(1);
    expect(await t.db.query('SELECT COUNT(*) AS n FROM task_instances')).toEqual([{ n: 4 }]);
  });

  it('starts runs up to max_active_runs, scheduled ones before backfill ones', async () => {
    await t.db.execute(
      "INSERT INTO backfills (dag_id, start_date, end_date, reprocess, max_active_runs, state, created_at) VALUES ('diamond', 0, 1, 'none', 5, 'running', 0)",
    );
    for (let i = 0; i < 3; i += 1)
      await createRun(t.db, diamond, diamond.runFor(new Date(T0 + i * HOUR), 'backfill'), NOW, 1);
    await createRun(t.db, diamond, diamond.runFor(new Date(T0 + 10 * HOUR), 'scheduled'), NOW);
    expect(await startQueuedRuns(t.db, NOW)).toBe(2);
    const running = await t.db.query<{ run_type: string; logical_date: number }>(
      "SELECT run_type, logical_date FROM dag_runs WHERE state = 'running' ORDER BY logical_date",
    );
    expect(running).toEqual([
      { run_type: 'backfill', logical_date: T0 },
      { run_type: 'scheduled', logical_date: T0 + 10 * HOUR },
    ]);
    expect(await startQueuedRuns(t.db, NOW)).toBe(0);
  });

  it('runs a DAG: downstream tasks become ready in the transaction that records their upstream success', async () => {
    const runPk = (await createRun(t.db, diamond, diamond.runFor(new Date(T0), 'manual'), NOW)) as number;
    await startQueuedRuns(t.db, NOW);
    expect(await states(t.db, runPk)).toEqual({
      a: 'queued',
      b: 'scheduled',
      c: 'scheduled',
      d: 'scheduled',
    });
    expect((await runTask(t.db, 'w1', NOW)).end).toEqual({
      state: 'success',
      ready: ['b', 'c'],
      runState: undefined,
    });
    await runTask(t.db, 'w1', NOW);
    const last = await runTask(t.db, 'w1', NOW);
    expect(last.end).toMatchObject({ state: 'success', ready: ['d'] });
    expect((await runTask(t.db, 'w1', NOW)).end).toEqual({
      state: 'success',
      ready: [],
      runState: 'success',
    });
    expect(await t.db.query('SELECT state FROM dag_runs WHERE id = $1', [runPk])).toEqual([
      { state: 'success' },
    ]);
    expect(await t.db.query('SELECT COUNT(*) AS n FROM task_log_lines')).toEqual([{ n: 4 }]);
  });

  it('retries a failed task after its delay, then fails it and everything below it', async () => {
    const runPk = (await createRun(t.db, diamond, diamond.runFor(new Date(T0), 'manual'), NOW)) as number;
    await startQueuedRuns(t.db, NOW);
    expect((await runTask(t.db, 'w1', NOW, 'failed')).end).toEqual({
      state: 'up_for_retry',
      retryAt: NOW + 60_000,
    });
    expect(await claimTasks(t.db, 'w1', 5, NOW + 59_999)).toEqual([]);
    const second = await runTask(t.db, 'w1', NOW + 60_000, 'failed');
    expect(second.task.tryNumber).toBe(2);
    expect(second.end).toEqual({ state: 'up_for_retry', retryAt: NOW + 120_000 });
    const third = await runTask(t.db, 'w1', NOW + 120_000, 'failed');
    expect(third.end).toEqual({
      state: 'failed',
      upstreamFailed: expect.arrayContaining(['b', 'c', 'd']) as string[],
      runState: 'failed',
    });
    expect(await states(t.db, runPk)).toEqual({
      a: 'failed',
      b: 'upstream_failed',
      c: 'upstream_failed',
      d: 'upstream_failed',
    });
    expect(await t.db.query('SELECT try_number, state FROM task_tries ORDER BY try_number')).toEqual([
      { try_number: 1, state: 'failed' },
      { try_number: 2, state: 'failed' },
      { try_number: 3, state: 'failed' },
    ]);
  });

  it('gives each ready task to one worker per try, however many claim at once', async () => {
    for (let i = 0; i < 6; i += 1)
      await createRun(t.db, diamond, diamond.runFor(new Date(T0 + i * HOUR), 'manual'), NOW);
    await t.db.execute('UPDATE dags SET max_active_runs = 10');
    await startQueuedRuns(t.db, NOW);
    const claim = (worker: string) =>
      inChildProcess(
        t,
        `const { claimTasks } = await import('./src/store/queue/index.ts');
        const ids = [];
        for (let i = 0; i < 3; i += 1) ids.push(...(await claimTasks(db, '${worker}', 1, ${NOW})).map((c) => c.tiId));
        return ids;`,
      );
    const claims = (await Promise.all(['w1', 'w2', 'w3', 'w4'].map(claim))) as number[][];
    const ids = claims.flat();
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
  });

  it('ends a run when its last tasks end at the same moment on different connections', async () => {
    const { dag: define } = await import('../dag/index.ts');
    const { noop } = await import('../operators/index.ts');
    const pair = define(
      { id: 'pair', schedule: '@hourly', startDate: '2018-11-01', maxActiveRuns: 50 },
      (d) => {
        d.task('left', noop());
        d.task('right', noop());
      },
    );
    await syncDags(t.db, { dags: new Map([['pair', pair]]), files: new Map(), errors: [] }, NOW);
    for (let i = 0; i < 10; i += 1)
      await createRun(t.db, pair, pair.runFor(new Date(T0 + i * HOUR), 'manual'), NOW);
    await startQueuedRuns(t.db, NOW);
    const claimed = await claimTasks(t.db, 'w', 100, NOW);
    const connections = [t.db, otherConnection(t), otherConnection(t), otherConnection(t)];
    await Promise.all(
      claimed.map((c, i) =>
        endTry(
          connections[i % 4] as Db,
          { tiId: c.tiId, tryNumber: c.tryNumber, worker: 'w', state: 'success', outcome: {}, log: [] },
          NOW,
        ),
      ),
    );
    await Promise.all(connections.slice(1).map((c) => c.close()));
    expect(
      await t.db.query("SELECT state, COUNT(*) AS n FROM dag_runs WHERE dag_id = 'pair' GROUP BY state"),
    ).toEqual([{ state: 'success', n: 10 }]);
  });

  it('plans a backfill, resumes an interrupted one, reprocesses failed runs, and cancels', async () => {
    const request = {
      start: new Date(T0),
      end: new Date(T0 + 4 * HOUR),
      reprocess: 'none' as const,
      maxActiveRuns: 2,
    };
    expect((await planBackfill(t.db, diamond, request)).map((p) => p.action)).toEqual([
      'create',
      'create',
      'create',
      'create',
    ]);
    const first = await createBackfill(t.db, diamond, request, NOW);
    // Interrupted: one run finished (failed), one running, two never started.
    await startQueuedRuns(t.db, NOW);
    const [runA, runB] = await t.db.query<{ id: number }>(
      "SELECT id FROM dag_runs WHERE state = 'running' ORDER BY logical_date",
    );
    await t.db.execute("UPDATE dag_runs SET state = 'failed' WHERE id = $1", [runA?.id ?? 0]);
    expect((await planBackfill(t.db, diamond, request)).map((p) => p.action)).toEqual([
      'skip',
      'adopt',
      'adopt',
      'adopt',
    ]);
    expect(
      (await planBackfill(t.db, diamond, { ...request, reprocess: 'failed' })).map((p) => p.action),
    ).toEqual(['rerun', 'adopt', 'adopt', 'adopt']);
    const resumed = await createBackfill(t.db, diamond, { ...request, reprocess: 'failed' }, NOW);
    expect(await t.db.query('SELECT backfill_id, state FROM dag_runs ORDER BY logical_date')).toEqual([
      { backfill_id: resumed.id, state: 'queued' },
      { backfill_id: resumed.id, state: 'running' },
      { backfill_id: resumed.id, state: 'queued' },
      { backfill_id: resumed.id, state: 'queued' },
    ]);
    expect(await backfillProgress(t.db, first.id)).toMatchObject({ total: 0 });
    expect(await cancelBackfill(t.db, resumed.id, NOW)).toBe(true);
    // Runs never started are dropped; the running one finishes; the one cleared to rerun ends failed.
    expect(await t.db.query('SELECT id, state FROM dag_runs ORDER BY logical_date')).toEqual([
      { id: runA?.id, state: 'failed' },
      { id: runB?.id, state: 'running' },
    ]);
    expect(await cancelBackfill(t.db, resumed.id, NOW)).toBe(false);
  });

  it('puts the task of a worker that stopped heartbeating back in the queue, without using a retry', async () => {
    const runPk = (await createRun(t.db, diamond, diamond.runFor(new Date(T0), 'manual'), NOW)) as number;
    await startQueuedRuns(t.db, NOW);
    const [lost] = await claimTasks(t.db, 'dead-worker', 1, NOW);
    expect(await requeueZombies(t.db, NOW + 10_000, 30_000)).toEqual([]);
    expect(await requeueZombies(t.db, NOW + 31_000, 30_000)).toEqual([lost?.tiId]);
    const late = await endTry(
      t.db,
      { tiId: lost?.tiId ?? 0, tryNumber: 1, worker: 'dead-worker', state: 'success', outcome: {}, log: [] },
      NOW + 32_000,
    );
    expect(late).toEqual({ state: 'stale' });
    const retried = await runTask(t.db, 'w2', NOW + 32_000);
    expect(retried.task.tryNumber).toBe(2);
    expect(
      await t.db.query('SELECT failures FROM task_instances WHERE run_pk = $1 AND task_id = $2', [
        runPk,
        'a',
      ]),
    ).toEqual([{ failures: 0 }]);
    expect(
      await t.db.query('SELECT try_number, state, error_code FROM task_tries ORDER BY try_number'),
    ).toEqual([
      { try_number: 1, state: 'lost', error_code: 'lost' },
      { try_number: 2, state: 'success', error_code: null },
    ]);
  });
});
