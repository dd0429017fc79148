/**
 * Orchestration volume (issue #6, part 2): the Sparkify DAG's history grown to each size (finished
 * runs with their task instances, tries with outcomes, retries and failures, log lines and
 * data-quality results), on SQLite and PostgreSQL; at each size, p50/p99 of one scheduler loop
 * (with active runs present), a worker's claim and a try's end, the API routes the UI polls, and a
 * synthetic DAG of 500 no-op tasks run to its end. Writes the results as JSON and plots as SVG;
 * prints one JSON line on stdout, progress on stderr.
 * Usage: node --import tsx bench/scale-orchestration.ts [--runs 100,1000,3000,10000] [--out FILE]
 *        [--dialects sqlite,postgres] [--plots DIR] [--keep] [--before EARLIER.json]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sparkify from '../pipelines/sparkify/sparkify.dag.ts';
import { FakeClock } from '../src/clock/index.ts';
import { dag, type Dag, type Operator } from '../src/dag/index.ts';
import { Worker } from '../src/executor/index.ts';
import { Scheduler } from '../src/scheduler/index.ts';
import { addUser, metricsText, serve, type ServeOptions } from '../src/app/index.ts';
import { claimTasks, endTry } from '../src/store/queue/index.ts';
import { createRun, syncDags } from '../src/store/runs/index.ts';
import { countOldLogLines, deleteOldLogLines } from '../src/store/admin/index.ts';
import type { Db, DbValue, MetadataDialect } from '../src/store/db/index.ts';
import { testDb } from '../src/store/db/testing.ts';
import { writeChart, type ChartSeries } from './svg-chart.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100,1000,3000,10000' },
    // Beside this file, whatever the working directory (bench/scale.ts runs this as a child).
    out: {
      type: 'string',
      default: fileURLToPath(new URL('./results/scale-orchestration.json', import.meta.url)),
    },
    plots: { type: 'string', default: fileURLToPath(new URL('./plots/', import.meta.url)) },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    /** Leave the last DB in place (its URL on stderr), to look at its plans. */
    keep: { type: 'boolean', default: false },
    /** Results of an earlier run (another commit): its curves beside these in orchestration-fixes.svg. */
    before: { type: 'string' },
  },
});
const SIZES = values.runs
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const DIALECTS = values.dialects.split(',') as MetadataDialect[];
const HOUR = 3_600_000;
const AUTH = `Basic ${Buffer.from('bench:bench').toString('base64')}`;
const progress = (line: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

const noop: Operator = { kind: 'noop', describe: () => ({}), execute: () => Promise.resolve({}) };
/** Ready work for the claim measurement: 100 independent no-op tasks a run. */
const claimDag = dag(
  { id: 'bench_claims', schedule: null, startDate: '2018-11-01', maxActiveRuns: 100 },
  (d) => {
    for (let i = 0; i < 100; i += 1) d.task(`t${i}`, noop);
  },
);
/** 500 no-op tasks in 20 layers of 25; each task waits for two tasks of the layer above. */
const big = dag({ id: 'bench_500', schedule: null, startDate: '2018-11-01', maxActiveRuns: 1 }, (d) => {
  for (let l = 0; l < 20; l += 1) {
    for (let i = 0; i < 25; i += 1) {
      d.task(`l${l}_t${i}`, noop, {
        upstream: l === 0 ? [] : [`l${l - 1}_t${i}`, `l${l - 1}_t${(i + 1) % 25}`],
      });
    }
  }
});
const DAGS = new Map<string, Dag>([
  [sparkify.id, sparkify],
  [claimDag.id, claimDag],
  [big.id, big],
]);

// ---- filling history ---------------------------------------------------------------------------

const ROWS_WRITTEN: Record<string, string> = {
  Stage_events: '{"rowsWritten":{"staging_events":1389}}',
  Stage_songs: '{"rowsWritten":{"staging_songs":0}}',
  Load_songplays_fact_table: '{"rowsWritten":{"songplays":1147}}',
  Load_user_dim_table: '{"rowsWritten":{"users":96}}',
  Load_song_dim_table: '{"rowsWritten":{"songs":0}}',
  Load_artist_dim_table: '{"rowsWritten":{"artists":0}}',
  Load_time_dim_table: '{"rowsWritten":{"time":1147}}',
};
const CHECKS = [
  'songplays.playid has no nulls',
  'songplays.userid has no nulls',
  'songplays.playid is unique',
  'users.userid has no nulls',
  'users.userid is unique',
  'songs.songid has no nulls',
  'songs.songid is unique',
  'artists.artistid has no nulls',
  'artists.artistid is unique',
  'time.start_time has no nulls',
  'time.start_time is unique',
  'songplays.userid references users.userid',
  'NextSong events in the interval = songplays in the interval',
];

/** Multi-row INSERTs of `rows`, in slices under both engines' parameter limits; RETURNING rows when asked. */
async function insertRows<R extends object = Record<string, unknown>>(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  returning?: string,
): Promise<R[]> {
  const out: R[] = [];
  const per = Math.floor(30_000 / columns.length);
  for (let start = 0; start < rows.length; start += per) {
    const slice = rows.slice(start, start + per);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${slice
      .map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ')}${returning ? ` RETURNING ${returning}` : ''}`;
    const params = slice.flat();
    if (returning) out.push(...(await db.transaction((tx) => tx.query<R>(sql, params))));
    else await db.transaction((tx) => tx.execute(sql, params));
  }
  return out;
}

/**
 * Sparkify runs `from … to-1` hours before `latest`, finished as a real scheduler would have left
 * them: every task instance with its tries (each 50th run's Stage_events failed once and succeeded
 * on its retry; each 200th run's checks failed all four tries, so the run failed and
 * Stop_execution is upstream_failed), a few log lines per try, 13 check results per check try.
 */
async function fillHistory(db: Db, latest: number, from: number, to: number): Promise<void> {
  const tasks = [...sparkify.tasks.values()];
  for (let chunk = from; chunk < to; chunk += 1000) {
    const end = Math.min(to, chunk + 1000);
    const runRows: DbValue[][] = [];
    for (let k = chunk; k < end; k += 1) {
      const logical = latest - k * HOUR;
      const info = sparkify.runFor(new Date(logical), 'scheduled');
      const created = logical + HOUR + 2000;
      runRows.push([
        info.dagId,
        info.runId,
        'scheduled',
        logical,
        logical,
        logical + HOUR,
        k % 200 === 199 ? 'failed' : 'success',
        '{}',
        created,
        created + 500,
        created + (k % 50 === 49 ? 330_000 : 30_000),
      ]);
    }
    const runs = await insertRows<{ id: number; logical_date: number }>(
      db,
      'dag_runs',
      [
        'dag_id',
        'run_id',
        'run_type',
        'logical_date',
        'interval_start',
        'interval_end',
        'state',
        'conf',
        'created_at',
        'started_at',
        'ended_at',
      ],
      runRows,
      'id, logical_date',
    );
    const tiRows: DbValue[][] = [];
    const plans = new Map<string, { tries: ('success' | 'failed')[]; start: number }>();
    for (const run of runs) {
      const k = Math.round((latest - Number(run.logical_date)) / HOUR);
      const started = Number(run.logical_date) + HOUR + 2500;
      tasks.forEach((task, position) => {
        let tries: ('success' | 'failed')[] = ['success'];
        if (task.id === 'Stage_events' && k % 50 === 49) tries = ['failed', 'success'];
        if (task.id === 'Run_data_quality_checks' && k % 200 === 199)
          tries = ['failed', 'failed', 'failed', 'failed'];
        const upstreamFailed = task.id === 'Stop_execution' && k % 200 === 199;
        const state = upstreamFailed ? 'upstream_failed' : (tries.at(-1) as string);
        const start = started + position * 2000 + (tries.length - 1) * 300_000;
        plans.set(`${run.id}:${task.id}`, { tries: upstreamFailed ? [] : tries, start });
        const s = task.settings;
        tiRows.push([
          run.id,
          sparkify.id,
          task.id,
          state,
          upstreamFailed ? 0 : tries.length,
          s.retries,
          tries.filter((t) => t === 'failed').length,
          s.retryDelayMs,
          s.retryExponentialBackoff ? 1 : 0,
          s.maxRetryDelayMs,
          s.timeoutMs,
          0,
          task.upstream.size,
          task.upstream.size,
          JSON.stringify([...task.downstream]),
          start - 1000,
          upstreamFailed ? null : 'worker-1:4242:ab12cd',
          upstreamFailed ? null : start + 1500,
          upstreamFailed ? null : start,
          start + 1500,
        ]);
      });
    }
    const tis = await insertRows<{ id: number; run_pk: number; task_id: string }>(
      db,
      'task_instances',
      [
        'run_pk',
        'dag_id',
        'task_id',
        'state',
        'try_number',
        'retries',
        'failures',
        'retry_delay_ms',
        'retry_exponential',
        'max_retry_delay_ms',
        'timeout_ms',
        'priority',
        'upstream_total',
        'upstream_done',
        'downstream',
        'ready_at',
        'worker',
        'heartbeat_at',
        'started_at',
        'ended_at',
      ],
      tiRows,
      'id, run_pk, task_id',
    );
    const tryRows: DbValue[][] = [];
    const logRows: DbValue[][] = [];
    const checkRows: DbValue[][] = [];
    for (const ti of tis) {
      const plan = plans.get(`${ti.run_pk}:${ti.task_id}`);
      if (!plan) continue;
      plan.tries.forEach((state, i) => {
        const tryNumber = i + 1;
        const started = plan.start - (plan.tries.length - 1 - i) * 300_000;
        const ended = started + 1500;
        const failedChecks = ti.task_id === 'Run_data_quality_checks' && state === 'failed';
        const error =
          state === 'failed'
            ? failedChecks
              ? ['data_quality', '1 of 13 data-quality check(s) failed: NextSong events = songplays']
              : [
                  'object_not_found',
                  'log_data/2018/11/2018-11-30-events.json was not found (the data is late)',
                ]
            : [null, null];
        const outcome =
          ti.task_id === 'Run_data_quality_checks'
            ? `{"summary":"13 check(s) ${failedChecks ? 'run, 1 failed' : 'passed'}"}`
            : (ROWS_WRITTEN[ti.task_id] ?? '{}');
        tryRows.push([ti.id, tryNumber, state, 'worker-1:4242:ab12cd', started, ended, ...error, outcome]);
        const stamp = new Date(started).toISOString();
        const lines = [
          `${stamp} INFO try ${tryNumber} of ${ti.task_id} on worker-1:4242:ab12cd`,
          `${stamp} INFO connection warehouse: duckdb:///srv/downbeat/warehouse.duckdb`,
          `${stamp} INFO ${ti.task_id}: running for the interval ${stamp} (logical date)`,
          `${stamp} INFO ${ti.task_id}: ${outcome}`,
          `${new Date(ended).toISOString()} ${state === 'failed' ? 'ERROR' : 'INFO'} ${ti.task_id} ${state} after 1.5 s`,
        ];
        if (ti.task_id === 'Run_data_quality_checks') {
          CHECKS.forEach((name, position) => {
            const passed = !(failedChecks && position === 12);
            lines.splice(
              -1,
              0,
              `${stamp} ${passed ? 'INFO passed' : 'ERROR FAILED'}: ${name} (expected 0, got ${passed ? 0 : 3})`,
            );
            checkRows.push([
              ti.id,
              tryNumber,
              position,
              name,
              `SELECT COUNT(*) FROM songplays WHERE playid IS NULL AND start_time >= CAST('${stamp}' AS TIMESTAMP)`,
              '0',
              passed ? '0' : '3',
              passed ? 1 : 0,
            ]);
          });
        }
        lines.forEach((text, n) => logRows.push([ti.id, tryNumber, n + 1, text]));
      });
    }
    await insertRows(
      db,
      'task_tries',
      [
        'ti_id',
        'try_number',
        'state',
        'worker',
        'started_at',
        'ended_at',
        'error_code',
        'error_message',
        'outcome',
      ],
      tryRows,
    );
    await insertRows(db, 'task_log_lines', ['ti_id', 'try_number', 'line_no', 'text'], logRows);
    await insertRows(
      db,
      'check_results',
      ['ti_id', 'try_number', 'position', 'name', 'check_sql', 'expected', 'actual', 'passed'],
      checkRows,
    );
  }
  // What autovacuum does after a bulk change; without it PostgreSQL plans on stale statistics.
  if (db.dialect === 'postgres') await db.execute('VACUUM ANALYZE');
}

/**
 * Work in flight, as the scheduler finds it on a busy day: a running backfill of six Sparkify runs
 * (two running, each with its first task running on a live worker; four queued behind the
 * backfill's limit of two). The loop evaluates all of it and changes nothing.
 */
async function addActiveWork(db: Db, now: number): Promise<void> {
  const [backfill] = await db.query<{ id: number }>(
    `INSERT INTO backfills (dag_id, start_date, end_date, reprocess, max_active_runs, state, created_at)
     VALUES ($1, $2, $3, 'none', 2, 'running', $4) RETURNING id`,
    [sparkify.id, Date.UTC(2015, 0, 1), Date.UTC(2015, 0, 1, 6), now],
  );
  for (let h = 0; h < 6; h += 1) {
    const runPk = await createRun(
      db,
      sparkify,
      sparkify.runFor(new Date(Date.UTC(2015, 0, 1, h)), 'backfill'),
      now,
      backfill?.id ?? null,
    );
    if (h < 2 && runPk !== undefined) {
      await db.execute("UPDATE dag_runs SET state = 'running', started_at = $1 WHERE id = $2", [now, runPk]);
      await db.execute(
        `UPDATE task_instances SET state = 'running', try_number = 1, worker = 'worker-2', heartbeat_at = $1, started_at = $1
         WHERE run_pk = $2 AND task_id = 'Begin_execution'`,
        [now, runPk],
      );
    }
  }
}

// ---- measuring ---------------------------------------------------------------------------------

interface Spread {
  readonly p50: number;
  readonly p99: number;
  readonly n: number;
}

function spread(samples: number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  return { p50: Number(at(50).toFixed(2)), p99: Number(at(99).toFixed(2)), n: sorted.length };
}

async function timed(times: number, warmup: number, work: (i: number) => Promise<unknown>): Promise<Spread> {
  const samples: number[] = [];
  for (let i = 0; i < times + warmup; i += 1) {
    const started = performance.now();
    await work(i);
    if (i >= warmup) samples.push(performance.now() - started);
  }
  return spread(samples);
}

async function schedulerLoop(db: Db, now: number): Promise<Spread> {
  const scheduler = new Scheduler({ db, dags: DAGS, clock: new FakeClock(now), id: 'bench-scheduler' });
  const result = await timed(200, 10, () => scheduler.tick());
  if (scheduler.lastLoop?.created || scheduler.lastLoop?.started)
    throw new Error(`the measured loop changed state: ${JSON.stringify(scheduler.lastLoop)}`);
  return result;
}

/** A worker's claim of 8 ready tasks, and the end of each claimed try (success, 5 log lines). */
async function claimsAndEnds(db: Db, now: number): Promise<{ claim: Spread; try_end: Spread }> {
  const pks: number[] = [];
  for (let i = 0; i < 9; i += 1) {
    const pk = await createRun(
      db,
      claimDag,
      claimDag.runFor(new Date(Date.UTC(2016, 0, 1, i)), 'manual'),
      now,
    );
    if (pk !== undefined) pks.push(pk);
  }
  const list = pks.join(', ');
  await db.execute(`UPDATE dag_runs SET state = 'running', started_at = $1 WHERE id IN (${list})`, [now]);
  await db.execute(`UPDATE task_instances SET state = 'queued', ready_at = $1 WHERE run_pk IN (${list})`, [
    now - 1,
  ]);
  const claimed: Awaited<ReturnType<typeof claimTasks>> = [];
  const claim = await timed(100, 5, async () => {
    const got = await claimTasks(db, 'bench-worker', 8, now);
    if (got.length !== 8) throw new Error(`claimed ${got.length} of 8`);
    claimed.push(...got);
  });
  const ends: number[] = [];
  for (const task of claimed) {
    const started = performance.now();
    const log = Array.from({ length: 5 }, (_, i) => `${new Date(now).toISOString()} INFO line ${i + 1}`);
    const ended = await endTry(
      db,
      {
        tiId: task.tiId,
        tryNumber: task.tryNumber,
        worker: 'bench-worker',
        state: 'success',
        outcome: {},
        log,
      },
      now,
    );
    ends.push(performance.now() - started);
    if (ended.state !== 'success') throw new Error(`a try's end was recorded as ${ended.state}`);
  }
  await db.execute(`DELETE FROM dag_runs WHERE id IN (${list})`);
  return { claim, try_end: spread(ends.slice(40)) };
}

async function apiLatency(db: Db): Promise<Record<string, Spread>> {
  const ctx: ServeOptions = { db, dags: DAGS, port: 0, log: (line) => process.stderr.write(`${line}\n`) };
  const server = await serve(ctx);
  try {
    const [middle] = await db.query<{ run_id: string }>(
      `SELECT run_id FROM dag_runs WHERE dag_id = $1 AND run_type = 'scheduled'
       ORDER BY logical_date LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM dag_runs WHERE dag_id = $1 AND run_type = 'scheduled')`,
      [sparkify.id],
    );
    const run = `/api/v1/dags/sparkify_etl/dagRuns/${encodeURIComponent(middle?.run_id ?? '')}`;
    const routes: Record<string, [string, number]> = {
      grid: ['/api/v1/dags/sparkify_etl/grid?limit=50', 100],
      dag_runs: ['/api/v1/dags/sparkify_etl/dagRuns?limit=100', 100],
      dags: ['/api/v1/dags', 100],
      stats: ['/api/v1/dags/sparkify_etl/stats?limit=200', 100],
      task_instances: [`${run}/taskInstances`, 100],
      log: [`${run}/taskInstances/Run_data_quality_checks/logs/1`, 100],
      checks: [`${run}/checks`, 100],
      metrics: ['/metrics', 50],
    };
    const out: Record<string, Spread> = {};
    for (const [name, [path, times]] of Object.entries(routes)) {
      out[name] = await timed(times, 5, async () => {
        const response = await fetch(`${server.url}${path}`, { headers: { authorization: AUTH } });
        if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
        await response.arrayBuffer();
      });
    }
    // The whole scrape with its try-duration totals aggregated afresh, as each refresh of the
    // cache costs (in the background, at most every 30 s).
    out.metrics_uncached = await timed(20, 2, () => metricsText(ctx));
    return out;
  } finally {
    await server.close();
  }
}

/**
 * The 500-task DAG run to its end `times` times, one run after another, by one in-process worker
 * (8 tasks at once, woken by the scheduler and at each try's end), the scheduler ticking every
 * 10 ms meanwhile: the time from the run's creation to its last task's end, and the loop's time.
 */
async function bigDag(
  db: Db,
  now: number,
  index: number,
  times = 5,
): Promise<{ create_ms: Spread; run_ms: Spread; loop: Spread }> {
  const worker = new Worker({
    db,
    dags: DAGS,
    connectionsFor: () => ({}) as never,
    concurrency: 8,
    pollMs: 50,
  });
  const scheduler = new Scheduler({
    db,
    dags: DAGS,
    clock: new FakeClock(now),
    id: 'bench-scheduler',
    onWork: () => worker.wake(),
  });
  worker.start();
  const creates: number[] = [];
  const runs: number[] = [];
  const loops: number[] = [];
  try {
    for (let i = 0; i < times; i += 1) {
      const started = performance.now();
      const logical = new Date(Date.UTC(2017, 0, 1, index * times + i));
      const runPk = await createRun(db, big, big.runFor(logical, 'manual'), now);
      creates.push(performance.now() - started);
      for (;;) {
        loops.push((await scheduler.tick()).ms);
        const [row] = await db.query<{ state: string }>('SELECT state FROM dag_runs WHERE id = $1', [
          runPk ?? -1,
        ]);
        if (row?.state === 'success') break;
        if (row?.state !== 'queued' && row?.state !== 'running')
          throw new Error(`the 500-task run: ${row?.state}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      runs.push(performance.now() - started);
    }
  } finally {
    await worker.stop();
  }
  return { create_ms: spread(creates), run_ms: spread(runs), loop: spread(loops) };
}

/**
 * Log retention at the largest size, run last (it deletes history): a bounded step as the
 * scheduler takes it each loop (2 batches of 500 task instances), the rest of the first pass,
 * then a second pass, which is what each hourly pass costs once the old lines are gone (on
 * PostgreSQL before and after the VACUUM that autovacuum soon runs after so many deletes).
 */
async function retention(db: Db, now: number): Promise<Record<string, number>> {
  const cutoff = now - 30 * 24 * HOUR;
  const linesBefore = await countLines(db);
  const old = await countOldLogLines(db, cutoff);
  let started = performance.now();
  const step = await deleteOldLogLines(db, cutoff, { maxBatches: 2 });
  const stepMs = performance.now() - started;
  started = performance.now();
  const rest = await deleteOldLogLines(db, cutoff, { afterTiId: step.next ?? Number.MAX_SAFE_INTEGER });
  const firstPassMs = stepMs + performance.now() - started;
  started = performance.now();
  const again = await deleteOldLogLines(db, cutoff);
  const secondPassMs = performance.now() - started;
  let vacuumedPassMs = secondPassMs;
  if (db.dialect === 'postgres') {
    await db.execute('VACUUM ANALYZE task_log_lines');
    started = performance.now();
    await deleteOldLogLines(db, cutoff);
    vacuumedPassMs = performance.now() - started;
  }
  return {
    log_lines_before: linesBefore,
    log_lines_older_than_30d: old,
    deleted: step.deleted + rest.deleted + again.deleted,
    log_lines_after: await countLines(db),
    scheduler_step_ms: Number(stepMs.toFixed(1)),
    first_pass_ms: Number(firstPassMs.toFixed(0)),
    next_pass_ms: Number(secondPassMs.toFixed(1)),
    next_pass_after_vacuum_ms: Number(vacuumedPassMs.toFixed(1)),
  };
}

async function countLines(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM task_log_lines');
  return Number(row?.n ?? 0);
}

// ---- the run -----------------------------------------------------------------------------------

const load = () => loadavg().map((l) => Number(l.toFixed(2)));
const startedAt = new Date().toISOString();
const loadBefore = load();
const results: Record<string, unknown>[] = [];
for (const dialect of DIALECTS) {
  const t = await testDb(dialect);
  try {
    const now = Date.now();
    const latest = Math.floor(now / HOUR) * HOUR - HOUR; // the latest complete hour: nothing is due
    await syncDags(t.db, { dags: DAGS, files: new Map(), errors: [] }, now);
    await t.db.execute("UPDATE dags SET is_paused = 0 WHERE dag_id = 'sparkify_etl'");
    await addUser(t.db, 'bench', 'bench', now);
    await addActiveWork(t.db, now);
    let filled = 0;
    for (const [index, size] of SIZES.entries()) {
      const filling = performance.now();
      await fillHistory(t.db, latest, filled, size);
      filled = size;
      const fillSeconds = (performance.now() - filling) / 1000;
      progress(`${dialect}: history at ${size} runs (+${fillSeconds.toFixed(1)} s)`);
      const row: Record<string, unknown> = { dialect, runs: size, load_avg: load() };
      row.scheduler_loop = await schedulerLoop(t.db, now);
      progress(`${dialect} ${size}: scheduler loop ${JSON.stringify(row.scheduler_loop)}`);
      Object.assign(row, await claimsAndEnds(t.db, now));
      progress(
        `${dialect} ${size}: claim ${JSON.stringify(row.claim)} try end ${JSON.stringify(row.try_end)}`,
      );
      row.api = await apiLatency(t.db);
      progress(`${dialect} ${size}: api ${JSON.stringify(row.api)}`);
      row.dag_500 = await bigDag(t.db, now, index);
      progress(`${dialect} ${size}: 500 tasks ${JSON.stringify(row.dag_500)}`);
      if (index === SIZES.length - 1) {
        row.log_retention_30d = await retention(t.db, now);
        progress(`${dialect} ${size}: log retention ${JSON.stringify(row.log_retention_30d)}`);
      }
      results.push(row);
    }
  } finally {
    if (values.keep) progress(`kept ${t.url}`);
    else await t.drop();
  }
}

const output = {
  scale_orchestration: {
    started_at: startedAt,
    cores: cpus().length,
    load_avg_before: loadBefore,
    load_avg_after: load(),
    command: `node --import tsx bench/scale-orchestration.ts --runs ${SIZES.join(',')}`,
    results,
  },
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(output, null, 2)}\n`);
await plot(results);
process.stdout.write(`${JSON.stringify(output)}\n`);

/** One chart per family of measures: x = runs in history (log), y = ms, the 100 ms goal drawn. */
async function plot(rows: readonly Record<string, unknown>[]): Promise<void> {
  const get = (row: Record<string, unknown>, path: string): number =>
    Number(
      path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], row),
    );
  const series = (
    path: string,
    label: string,
    dialects = DIALECTS,
    from: readonly Record<string, unknown>[] = rows,
  ): ChartSeries[] =>
    dialects.map((dialect) => ({
      name: `${label} (${dialect})`,
      points: from
        .filter((r) => r.dialect === dialect)
        .map((r) => [Number(r.runs), get(r, path)] as const)
        .filter(([, y]) => Number.isFinite(y)),
    }));
  const guides = [{ y: 100, label: '100 ms goal' }];
  const common = { xLabel: 'runs in history', yLabel: 'ms', xLog: true, guides } as const;
  const charts: Record<string, { title: string; series: ChartSeries[]; yLog?: boolean }> = {
    'orchestration-scheduler.svg': {
      title: 'One scheduler loop (p50, p99)',
      series: [...series('scheduler_loop.p50', 'loop p50'), ...series('scheduler_loop.p99', 'loop p99')],
    },
    'orchestration-queue.svg': {
      title: "A worker's claim of 8 tasks, and a try's end (p99)",
      series: [...series('claim.p99', 'claim p99'), ...series('try_end.p99', 'try end p99')],
    },
    'orchestration-dag500.svg': {
      title: 'A 500-task DAG run: creation to all done, and the loop meanwhile (p99)',
      series: [...series('dag_500.run_ms.p50', 'run to done p50'), ...series('dag_500.loop.p99', 'loop p99')],
      yLog: true,
    },
  };
  const routes = Object.keys((rows[0]?.api as Record<string, unknown> | undefined) ?? {});
  for (const dialect of DIALECTS) {
    charts[`orchestration-api-${dialect}.svg`] = {
      title: `API routes the UI polls, ${dialect} (p99)`,
      series: routes.flatMap((route) => series(`api.${route}.p99`, route, [dialect])),
      yLog: true,
    };
  }
  if (values.before) {
    const earlier = (
      JSON.parse(await readFile(values.before, 'utf8')) as {
        scale_orchestration: { results: Record<string, unknown>[] };
      }
    ).scale_orchestration.results;
    charts['orchestration-fixes.svg'] = {
      title: 'What the fixes changed (p50): /metrics, and stats on PostgreSQL',
      series: [
        ...series('api.metrics.p50', '/metrics before', DIALECTS, earlier),
        ...series('api.metrics.p50', '/metrics after'),
        ...series('api.stats.p50', 'stats before', ['postgres'], earlier),
        ...series('api.stats.p50', 'stats after', ['postgres']),
      ],
      yLog: true,
    };
  }
  await mkdir(values.plots, { recursive: true });
  for (const [file, chart] of Object.entries(charts)) {
    await writeChart(join(values.plots, file), { ...common, ...chart });
  }
}
