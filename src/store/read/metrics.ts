import { ACTIVE_RUN_STATES, ACTIVE_TASK_STATES } from '../../lifecycle/index.ts';
import { sqlList, type Db } from '../db/index.ts';

/** What /metrics reports, read in a few grouped queries. Runs and task instances still to end are
 * few rows, found by the state indexes; the ended ones grow with history. */

/** Runs by DAG and state: the active ones (`active`), or the ended ones, which grow with history. */
export async function runsByState(
  db: Db,
  which: 'active' | 'ended',
): Promise<{ dag_id: string; state: string; n: number }[]> {
  return db.query(
    `SELECT dag_id, state, COUNT(*) AS n FROM dag_runs WHERE kind = 'interval' AND state ${which === 'active' ? '' : 'NOT '}IN (${sqlList(ACTIVE_RUN_STATES)})
     GROUP BY dag_id, state ORDER BY dag_id, state`,
  );
}

/** Task instances by DAG and state, as runsByState. */
export async function taskInstancesByState(
  db: Db,
  which: 'active' | 'ended',
): Promise<{ dag_id: string; state: string; n: number }[]> {
  return db.query(
    `SELECT dag_id, state, COUNT(*) AS n FROM task_instances WHERE state ${which === 'active' ? '' : 'NOT '}IN (${sqlList(ACTIVE_TASK_STATES)})
     GROUP BY dag_id, state ORDER BY dag_id, state`,
  );
}

/** Duration totals of ended tries per task, since the start of history. */
export async function tryDurations(
  db: Db,
): Promise<{ dag_id: string; task_id: string; state: string; n: number; seconds: number }[]> {
  return db.query(
    `SELECT ti.dag_id, ti.task_id, t.state, COUNT(*) AS n, SUM(t.ended_at - t.started_at) / 1000.0 AS seconds
     FROM task_tries t JOIN task_instances ti ON ti.id = t.ti_id
     WHERE t.ended_at IS NOT NULL GROUP BY ti.dag_id, ti.task_id, t.state ORDER BY ti.dag_id, ti.task_id, t.state`,
  );
}

/** Tasks ready to run now (the queue's depth) and waiting for a retry. */
export async function queueDepth(db: Db, now: number): Promise<{ ready: number; waiting: number }> {
  const [row] = await db.query<{ ready: number; waiting: number }>(
    `SELECT SUM(CASE WHEN state = 'queued' OR (state = 'up_for_retry' AND ready_at <= $1) THEN 1 ELSE 0 END) AS ready,
            SUM(CASE WHEN state = 'up_for_retry' AND ready_at > $1 THEN 1 ELSE 0 END) AS waiting
     FROM task_instances WHERE state IN ('queued', 'up_for_retry')`,
    [now],
  );
  return { ready: Number(row?.ready ?? 0), waiting: Number(row?.waiting ?? 0) };
}

export async function liveProcesses(
  db: Db,
  now: number,
  withinMs: number,
): Promise<{ id: string; kind: string; heartbeat_at: number; loop_ms: number | null }[]> {
  return db.query(
    'SELECT id, kind, heartbeat_at, loop_ms FROM processes WHERE heartbeat_at >= $1 ORDER BY id',
    [now - withinMs],
  );
}

/** Deadline misses per DAG, for /metrics. */
export async function deadlineMisses(db: Db): Promise<{ dagId: string; misses: number }[]> {
  const rows = await db.query<{ dag_id: string; n: number }>(
    "SELECT dag_id, COUNT(*) AS n FROM dag_runs WHERE deadline = 'missed' GROUP BY dag_id ORDER BY dag_id",
  );
  return rows.map((r) => ({ dagId: r.dag_id, misses: Number(r.n) }));
}
