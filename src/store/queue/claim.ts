/**
 * The work queue is the task-instance table itself. Workers claim ready task instances (queued,
 * up for retry once their delay has passed, or a sensor up for reschedule at its next poke) and
 * heartbeat while they run them.
 */
import type { RunType } from '../../dag/index.ts';
import {
  admitToPools,
  CLAIMABLE_TASK_STATES,
  fullPools,
  type PoolProblem,
  type PoolRoom,
} from '../../lifecycle/index.ts';
import { placeholders, sqlList, type Db, type DbSession } from '../db/index.ts';

const CLAIMABLE = sqlList(CLAIMABLE_TASK_STATES);

export interface ClaimedTask {
  readonly tiId: number;
  readonly runPk: number;
  readonly dagId: string;
  readonly taskId: string;
  readonly tryNumber: number;
  /** When the task instance's first try started (what a sensor's timeout counts from). */
  readonly firstTryStartedAt: number;
  readonly timeoutMs: number | null;
  readonly runId: string;
  readonly runType: RunType;
  readonly logicalDate: number;
  readonly intervalStart: number;
  readonly intervalEnd: number;
  readonly conf: string;
  /** Its pool does not exist or is too small: the try fails at once with this error. */
  readonly poolProblem?: PoolProblem;
}

/** Each pool's slots and what its running task instances take now (these pools, or all). */
async function poolRooms(tx: DbSession, names?: readonly string[]): Promise<Map<string, PoolRoom>> {
  const only = names === undefined ? '' : `WHERE p.name IN (${placeholders(names.length)})`;
  const rows = await tx.query<{ name: string; slots: number; running: number | null }>(
    `SELECT p.name, p.slots, (SELECT SUM(t.pool_slots) FROM task_instances t WHERE t.state = 'running' AND t.pool = p.name) AS running
     FROM pools p ${only}`,
    names ?? [],
  );
  return new Map(rows.map((r) => [r.name, { slots: Number(r.slots), running: Number(r.running ?? 0) }]));
}

/**
 * Claims up to `limit` ready task instances for `worker`: each is run by one worker per try.
 * PostgreSQL skips rows another worker has locked; SQLite's BEGIN IMMEDIATE lets one claim at a time.
 * A sensor's next poke goes on the try it rescheduled, so its pokes share one try and one log.
 * Pools (src/lifecycle/pool-admission.ts) are counted in the same transaction, under a lock of
 * each candidate's pool row on PostgreSQL: their slots hold across every worker and machine.
 */
export async function claimTasks(
  db: Db,
  worker: string,
  limit: number,
  now: number,
  scope: { backfillId?: number } = {},
): Promise<ClaimedTask[]> {
  return db.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const inScope =
      scope.backfillId === undefined ? '' : 'AND run_pk IN (SELECT id FROM dag_runs WHERE backfill_id = $3)';
    // The tasks of a full pool are not looked at, so they do not stand in front of the others.
    const rooms = await poolRooms(tx);
    const full = fullPools(rooms);
    const notFull =
      full.length === 0
        ? ''
        : `AND pool NOT IN (${placeholders(full.length, scope.backfillId === undefined ? 3 : 4)})`;
    const candidates = await tx.query<{ id: number; pool: string; pool_slots: number }>(
      `SELECT id, pool, pool_slots FROM task_instances WHERE state IN (${CLAIMABLE}) AND ready_at <= $1 ${inScope} ${notFull}
       ORDER BY priority, priority_weight DESC, ready_at, id LIMIT $2 ${lock}`,
      [now, limit, ...(scope.backfillId === undefined ? [] : [scope.backfillId]), ...full],
    );
    if (candidates.length === 0) return [];
    // Counted again under the lock of the candidates' pools: no two claims fill a pool's last slot.
    const pools = [...new Set(candidates.map((c) => c.pool))].sort();
    if (tx.dialect === 'postgres') {
      await tx.query(
        `SELECT name FROM pools WHERE name IN (${placeholders(pools.length)}) ORDER BY name FOR UPDATE`,
        pools,
      );
    }
    const admitted = admitToPools(
      candidates.map((c) => ({ id: c.id, pool: c.pool, poolSlots: Number(c.pool_slots) })),
      await poolRooms(tx, pools),
      [...rooms.keys()],
    );
    if (admitted.length === 0) return [];
    const problems = new Map(admitted.flatMap((a) => (a.problem ? [[a.id, a.problem] as const] : [])));
    const claimed = await tx.query<{ id: number; try_number: number }>(
      `UPDATE task_instances SET state = 'running', worker = $1, heartbeat_at = $2, ended_at = NULL,
         try_number = CASE WHEN state = 'up_for_reschedule' THEN try_number ELSE try_number + 1 END,
         started_at = CASE WHEN state = 'up_for_reschedule' THEN started_at ELSE $2 END,
         first_started_at = COALESCE(first_started_at, $2)
       WHERE id IN (${placeholders(admitted.length, 3)})
       RETURNING id, try_number`,
      [worker, now, ...admitted.map((a) => a.id)],
    );
    if (claimed.length === 0) return [];
    await tx.execute(
      `INSERT INTO task_tries (ti_id, try_number, state, worker, started_at) VALUES ${claimed
        .map((_, i) => `($${i * 2 + 3}, $${i * 2 + 4}, 'running', $1, $2)`)
        .join(', ')}
       ON CONFLICT (ti_id, try_number) DO UPDATE SET state = 'running', worker = $1, ended_at = NULL`,
      [worker, now, ...claimed.flatMap((c) => [c.id, c.try_number])],
    );
    const ids = claimed.map((c) => c.id);
    const rows = await tx.query<{
      id: number;
      run_pk: number;
      dag_id: string;
      task_id: string;
      try_number: number;
      first_started_at: number;
      timeout_ms: number | null;
      run_id: string;
      run_type: RunType;
      logical_date: number;
      interval_start: number;
      interval_end: number;
      conf: string;
    }>(
      `SELECT t.id, t.run_pk, t.dag_id, t.task_id, t.try_number, t.first_started_at, t.timeout_ms, r.run_id, r.run_type, r.logical_date,
         r.interval_start, r.interval_end, r.conf
       FROM task_instances t JOIN dag_runs r ON r.id = t.run_pk
       WHERE t.id IN (${placeholders(ids.length)}) ORDER BY t.priority, t.priority_weight DESC, t.ready_at, t.id`,
      ids,
    );
    return rows.map((r) => ({
      ...(problems.has(r.id) ? { poolProblem: problems.get(r.id) } : {}),
      tiId: r.id,
      runPk: r.run_pk,
      dagId: r.dag_id,
      taskId: r.task_id,
      tryNumber: r.try_number,
      firstTryStartedAt: Number(r.first_started_at),
      timeoutMs: r.timeout_ms,
      runId: r.run_id,
      runType: r.run_type,
      logicalDate: r.logical_date,
      intervalStart: r.interval_start,
      intervalEnd: r.interval_end,
      conf: r.conf,
    }));
  });
}

/** Marks the worker's running tries alive. */
export async function heartbeat(
  db: Db,
  worker: string,
  tiIds: readonly number[],
  now: number,
): Promise<void> {
  if (tiIds.length === 0) return;
  await db.execute(
    `UPDATE task_instances SET heartbeat_at = $1 WHERE worker = $2 AND state = 'running' AND id IN (${placeholders(tiIds.length, 3)})`,
    [now, worker, ...tiIds],
  );
}
