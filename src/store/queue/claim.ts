/**
 * The work queue is the task-instance table itself. Workers claim ready task instances (queued,
 * up for retry once their delay has passed, or a sensor up for reschedule at its next poke) and
 * heartbeat while they run them.
 */
import type { RunType } from '../../dag/index.ts';
import {
  admitToPools,
  CLAIMABLE_TASK_STATES,
  type PoolProblem,
  type PoolRoom,
} from '../../lifecycle/index.ts';
import { placeholders, sqlList, type Db, type DbRow, type DbSession, type Statement } from '../db/index.ts';

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
  /** A range run's task: it runs over the union of the intervals the run covers. */
  readonly range: boolean;
  /** Its pool does not exist or is too small: the try fails at once with this error. */
  readonly poolProblem?: PoolProblem;
}

/** Which task instances a claim may take. */
export interface ClaimScope {
  /** Only tasks of this backfill's runs. @default any */
  readonly backfillId?: number;
}

/**
 * Claims up to `limit` ready task instances for `worker`: each is run by one worker per try.
 * PostgreSQL skips rows another worker has locked; SQLite's BEGIN IMMEDIATE lets one claim at a time.
 * A sensor's next poke goes on the try it rescheduled, so its pokes share one try and one log.
 * Pools (src/lifecycle/pool-admission.ts) are counted in the same transaction, under a lock of
 * the pools' rows on PostgreSQL: their slots hold across every worker and machine. Two round
 * trips on PostgreSQL: the reads, then the writes with the commit.
 */
export function claimTasks(
  db: Db,
  worker: string,
  limit: number,
  now: number,
  scope: ClaimScope = {},
): Promise<ClaimedTask[]> {
  return db.transaction(async (tx) => writeClaim(tx, worker, now, await readClaim(tx, limit, now, scope)));
}

/** What a claim read, and the rows of the caller's statements sent before it. */
export interface ClaimRead {
  readonly before: readonly DbRow[][];
  readonly rooms: ReadonlyMap<string, PoolRoom>;
  readonly candidates: readonly ClaimedRow[];
}

/**
 * A claim's reads in one round trip, after the caller's `before` statements (which they see): the
 * pools' rooms and the candidates in claim order, with what the worker needs of each. On
 * PostgreSQL the pools' rows are locked first, so that no two claims fill a pool's last slot;
 * SQLite's claims take turns. The tasks of a full pool (fullPools' test: no slot open) are not
 * looked at, so they do not stand in front of the others. The candidates are read from the
 * claim's index (migration 012), which SQLite is told to walk: left to choose, it reads and sorts
 * every claimable row.
 */
export async function readClaim(
  tx: DbSession,
  limit: number,
  now: number,
  scope: ClaimScope = {},
  before: readonly Statement[] = [],
): Promise<ClaimRead> {
  const postgres = tx.dialect === 'postgres';
  const lock: Statement[] = postgres
    ? [{ sql: 'SELECT name FROM pools ORDER BY name FOR UPDATE', params: [] }]
    : [];
  const rooms: Statement = {
    sql: `SELECT p.name, p.slots, ${RUNNING_IN_POOL} AS running FROM pools p`,
    params: [],
  };
  const inScope =
    scope.backfillId === undefined ? '' : 'AND t.run_pk IN (SELECT id FROM dag_runs WHERE backfill_id = $3)';
  const candidates: Statement = {
    sql: `SELECT t.id, t.pool, t.pool_slots, t.state, t.run_pk, t.dag_id, t.task_id, t.try_number, t.first_started_at,
       t.timeout_ms, r.run_id, r.run_type, r.logical_date, r.interval_start, r.interval_end, r.conf, r.kind
     FROM task_instances t ${postgres ? '' : 'INDEXED BY task_instances_claim'} JOIN dag_runs r ON r.id = t.run_pk
     WHERE t.state IN (${CLAIMABLE}) AND t.ready_at <= $1 ${inScope}
       AND t.pool NOT IN (SELECT p.name FROM pools p WHERE ${RUNNING_IN_POOL} >= p.slots)
     ORDER BY t.priority, t.priority_weight DESC, t.ready_at, t.id LIMIT $2 ${postgres ? 'FOR UPDATE OF t SKIP LOCKED' : ''}`,
    params: [now, limit, ...(scope.backfillId === undefined ? [] : [scope.backfillId])],
  };
  if (limit <= 0)
    return { before: before.length > 0 ? await tx.batch(before) : [], rooms: new Map(), candidates: [] };
  const rows = await tx.batch([...before, ...lock, rooms, candidates]);
  const roomRows = rows[before.length + lock.length] as {
    name: string;
    slots: number;
    running: number | null;
  }[];
  return {
    before: rows.slice(0, before.length),
    rooms: new Map(
      roomRows.map((r) => [r.name, { slots: Number(r.slots), running: Number(r.running ?? 0) }]),
    ),
    candidates: rows[rows.length - 1] as unknown as ClaimedRow[],
  };
}

/** What a pool's running task instances take of it: `p` is the pool's row. */
const RUNNING_IN_POOL =
  "COALESCE((SELECT SUM(t.pool_slots) FROM task_instances t WHERE t.state = 'running' AND t.pool = p.name), 0)";

/**
 * The candidates its pools admit (src/lifecycle/pool-admission.ts), marked running with a try each,
 * in one round trip that commits the transaction (PostgreSQL): the claim is its last work.
 */
export async function writeClaim(
  tx: DbSession,
  worker: string,
  now: number,
  { rooms, candidates }: ClaimRead,
): Promise<ClaimedTask[]> {
  const admitted = admitToPools(
    candidates.map((c) => ({ id: c.id, pool: c.pool, poolSlots: Number(c.pool_slots) })),
    rooms,
  );
  if (admitted.length === 0) return [];
  const byId = new Map(candidates.map((r) => [r.id, r]));
  const claimed = admitted.map(({ id, problem }) => {
    const row = byId.get(id) as ClaimedRow;
    // A sensor's next poke goes on the try it rescheduled.
    const tryNumber = row.state === 'up_for_reschedule' ? Number(row.try_number) : Number(row.try_number) + 1;
    return claimedTask(row, tryNumber, Number(row.first_started_at ?? now), problem);
  });
  await tx.batch(
    [
      {
        sql: `UPDATE task_instances SET state = 'running', worker = $1, heartbeat_at = $2, ended_at = NULL,
           try_number = CASE WHEN state = 'up_for_reschedule' THEN try_number ELSE try_number + 1 END,
           started_at = CASE WHEN state = 'up_for_reschedule' THEN started_at ELSE $2 END,
           first_started_at = COALESCE(first_started_at, $2)
         WHERE id IN (${placeholders(claimed.length, 3)})`,
        params: [worker, now, ...claimed.map((c) => c.tiId)],
      },
      {
        sql: `INSERT INTO task_tries (ti_id, try_number, state, worker, started_at) VALUES ${claimed
          .map((_, i) => `($${i * 2 + 3}, $${i * 2 + 4}, 'running', $1, $2)`)
          .join(', ')}
         ON CONFLICT (ti_id, try_number) DO UPDATE SET state = 'running', worker = $1, ended_at = NULL`,
        params: [worker, now, ...claimed.flatMap((c) => [c.tiId, c.tryNumber])],
      },
    ],
    { commit: true },
  );
  return claimed;
}

export interface ClaimedRow {
  id: number;
  pool: string;
  pool_slots: number;
  state: string;
  run_pk: number;
  dag_id: string;
  task_id: string;
  try_number: number;
  first_started_at: number | null;
  timeout_ms: number | null;
  run_id: string;
  run_type: RunType;
  logical_date: number;
  interval_start: number;
  interval_end: number;
  conf: string;
  kind: 'interval' | 'range';
}

function claimedTask(
  r: ClaimedRow,
  tryNumber: number,
  firstTryStartedAt: number,
  poolProblem?: PoolProblem,
): ClaimedTask {
  return {
    ...(poolProblem ? { poolProblem } : {}),
    tiId: r.id,
    runPk: r.run_pk,
    dagId: r.dag_id,
    taskId: r.task_id,
    tryNumber,
    firstTryStartedAt,
    timeoutMs: r.timeout_ms,
    runId: r.run_id,
    runType: r.run_type,
    logicalDate: r.logical_date,
    intervalStart: r.interval_start,
    intervalEnd: r.interval_end,
    conf: r.conf,
    range: r.kind === 'range',
  };
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
