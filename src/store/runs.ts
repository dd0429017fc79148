import type { Dag, RunInfo } from '../dag/index.ts';
import type { Db, DbSession } from './db.ts';

/** Lower runs first: scheduled and manual runs go before backfill runs. */
export const PRIORITY = { scheduled: 0, manual: 0, backfill: 10 } as const;

export type RunState = 'queued' | 'running' | 'success' | 'failed';
export const TERMINAL_TASK_STATES = ['success', 'failed', 'upstream_failed', 'skipped'] as const;

export interface RunRow {
  readonly id: number;
  readonly dag_id: string;
  readonly run_id: string;
  readonly run_type: RunInfo['runType'];
  readonly logical_date: number;
  readonly interval_start: number;
  readonly interval_end: number;
  readonly state: RunState;
  readonly conf: string;
  readonly backfill_id: number | null;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly ended_at: number | null;
}

/**
 * Creates a run and its task instances, queued until the scheduler starts it (max_active_runs).
 * Returns undefined when the DAG already has a run at that logical date: two schedulers creating
 * the same run at once create it once.
 */
export async function createRun(
  db: Db,
  dag: Dag,
  run: RunInfo,
  now: number,
  backfillId: number | null = null,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [created] = await tx.query<{ id: number }>(
      `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, backfill_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        run.dagId,
        run.runId,
        run.runType,
        run.logicalDate.getTime(),
        run.dataInterval.start.getTime(),
        run.dataInterval.end.getTime(),
        JSON.stringify(run.conf),
        backfillId,
        now,
      ],
    );
    if (!created) return undefined;
    await insertTaskInstances(tx, dag, created.id, PRIORITY[run.runType]);
    return created.id;
  });
}

async function insertTaskInstances(tx: DbSession, dag: Dag, runPk: number, priority: number): Promise<void> {
  // Multi-row INSERTs, a slice at a time under the engines' parameter limits: a DAG of 500 tasks
  // is 1 round trip, not 500.
  const tasks = [...dag.tasks.values()];
  for (let start = 0; start < tasks.length; start += 1000) {
    const slice = tasks.slice(start, start + 1000);
    await tx.execute(
      `INSERT INTO task_instances (run_pk, dag_id, task_id, state, try_number, retries, failures, retry_delay_ms,
         retry_exponential, max_retry_delay_ms, timeout_ms, priority, upstream_total, upstream_done, downstream)
       VALUES ${slice
         .map((_, i) => {
           const p = (k: number) => `$${i * 8 + k + 4}`;
           return `($1, $2, ${p(0)}, 'scheduled', 0, ${p(1)}, 0, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, $3, ${p(6)}, 0, ${p(7)})`;
         })
         .join(', ')}`,
      [
        runPk,
        dag.id,
        priority,
        ...slice.flatMap((task) => {
          const s = task.settings;
          return [
            task.id,
            s.retries,
            s.retryDelayMs,
            s.retryExponentialBackoff ? 1 : 0,
            s.maxRetryDelayMs,
            s.timeoutMs,
            task.upstream.size,
            JSON.stringify([...task.downstream]),
          ];
        }),
      ],
    );
  }
}

/**
 * Starts queued runs while each DAG (and each backfill) has fewer running runs than it allows:
 * scheduled and manual runs first, then backfill runs, oldest logical date first. A started run's
 * tasks without upstream tasks are queued for the workers. Returns how many runs started.
 */
export async function startQueuedRuns(
  db: Db,
  now: number,
  scope: { backfillId?: number } = {},
): Promise<number> {
  return db.transaction(async (tx) => {
    const candidates = await tx.query<{
      id: number;
      dag_id: string;
      backfill_id: number | null;
      dag_limit: number;
      backfill_limit: number | null;
    }>(
      `SELECT r.id, r.dag_id, r.backfill_id, d.max_active_runs AS dag_limit, b.max_active_runs AS backfill_limit
       FROM dag_runs r JOIN dags d ON d.dag_id = r.dag_id LEFT JOIN backfills b ON b.id = r.backfill_id
       WHERE r.state = 'queued' AND (b.id IS NULL OR b.state <> 'cancelled')${scope.backfillId === undefined ? '' : ' AND r.backfill_id = $1'}
       ORDER BY CASE WHEN r.run_type = 'backfill' THEN 1 ELSE 0 END, r.logical_date, r.id`,
      scope.backfillId === undefined ? [] : [scope.backfillId],
    );
    if (candidates.length === 0) return 0;
    const running = new Map<string, number>();
    for (const row of await tx.query<{ dag_id: string; n: number }>(
      "SELECT dag_id, COUNT(*) AS n FROM dag_runs WHERE state = 'running' GROUP BY dag_id",
    )) {
      running.set(row.dag_id, Number(row.n));
    }
    const backfillRunning = new Map<number, number>();
    for (const row of await tx.query<{ backfill_id: number; n: number }>(
      "SELECT backfill_id, COUNT(*) AS n FROM dag_runs WHERE state = 'running' AND backfill_id IS NOT NULL GROUP BY backfill_id",
    )) {
      backfillRunning.set(row.backfill_id, Number(row.n));
    }
    let started = 0;
    for (const run of candidates) {
      const dagRunning = running.get(run.dag_id) ?? 0;
      if (dagRunning >= run.dag_limit) continue;
      if (
        run.backfill_id !== null &&
        run.backfill_limit !== null &&
        (backfillRunning.get(run.backfill_id) ?? 0) >= run.backfill_limit
      )
        continue;
      await tx.execute("UPDATE dag_runs SET state = 'running', started_at = $1 WHERE id = $2", [now, run.id]);
      await tx.execute(
        "UPDATE task_instances SET state = 'queued', ready_at = $1 WHERE run_pk = $2 AND state = 'scheduled' AND upstream_done = upstream_total",
        [now, run.id],
      );
      running.set(run.dag_id, dagRunning + 1);
      if (run.backfill_id !== null)
        backfillRunning.set(run.backfill_id, (backfillRunning.get(run.backfill_id) ?? 0) + 1);
      started += 1;
    }
    if (started > 0) await notifyQueue(tx);
    return started;
  });
}

/** Ends a running run whose tasks have all ended: success when every task succeeded (or was skipped). */
export async function completeRunIfDone(
  tx: DbSession,
  runPk: number,
  now: number,
): Promise<RunState | undefined> {
  // The run's row is locked until this transaction commits: of two tries of a run ending at once,
  // the second to get here waits for the first's commit and then sees its task ended, so the last
  // one to end always ends the run. (SQLite runs one writing transaction at a time anyway.)
  // NO KEY UPDATE, not UPDATE: a task instance updated twice in one transaction (made ready after
  // its upstream count rose) has its foreign key checked, which share-locks this row's key; two
  // such ends asking FOR UPDATE then deadlock. NO KEY UPDATE still excludes the other enders.
  if (tx.dialect === 'postgres')
    await tx.query('SELECT id FROM dag_runs WHERE id = $1 FOR NO KEY UPDATE', [runPk]);
  // One statement: the run ends only when none of its tasks is still to run.
  const [ended] = await tx.query<{ state: RunState }>(
    `UPDATE dag_runs SET ended_at = $2, state = CASE WHEN EXISTS (
         SELECT 1 FROM task_instances WHERE run_pk = $1 AND state NOT IN ('success', 'skipped')) THEN 'failed' ELSE 'success' END
     WHERE id = $1 AND state = 'running' AND NOT EXISTS (
       SELECT 1 FROM task_instances WHERE run_pk = $1 AND state NOT IN (${TERMINAL_TASK_STATES.map((s) => `'${s}'`).join(', ')}))
     RETURNING state`,
    [runPk, now],
  );
  return ended?.state;
}

export async function getRun(db: Db, dagId: string, logicalDate: number): Promise<RunRow | undefined> {
  const [row] = await db.query<RunRow & Record<string, unknown>>(
    'SELECT * FROM dag_runs WHERE dag_id = $1 AND logical_date = $2',
    [dagId, logicalDate],
  );
  return row;
}

/** Wakes listening workers when the transaction commits (PostgreSQL); SQLite workers are in process. */
export async function notifyQueue(tx: DbSession): Promise<void> {
  if (tx.dialect === 'postgres') await tx.execute("SELECT pg_notify('downbeat_queue', '')");
}
