/**
 * The work queue is the task-instance table itself. Workers claim ready task instances (queued, or
 * up for retry once their delay has passed), heartbeat while they run them, and record each try's
 * end; the end of a try makes its downstream tasks ready in the same transaction.
 */
import type { CheckResult, TaskOutcome } from '../dag/index.ts';
import type { Db, DbSession } from './db.ts';
import { completeRunIfDone, notifyQueue } from './runs.ts';

export interface ClaimedTask {
  readonly tiId: number;
  readonly runPk: number;
  readonly dagId: string;
  readonly taskId: string;
  readonly tryNumber: number;
  readonly timeoutMs: number | null;
  readonly runId: string;
  readonly runType: 'scheduled' | 'manual' | 'backfill';
  readonly logicalDate: number;
  readonly intervalStart: number;
  readonly intervalEnd: number;
  readonly conf: string;
}

/**
 * Claims up to `limit` ready task instances for `worker`: each is run by one worker per try.
 * PostgreSQL skips rows another worker has locked; SQLite's BEGIN IMMEDIATE lets one claim at a time.
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
      scope.backfillId === undefined ? '' : 'AND run_pk IN (SELECT id FROM dag_runs WHERE backfill_id = $4)';
    const claimed = await tx.query<{ id: number; try_number: number }>(
      `UPDATE task_instances SET state = 'running', try_number = try_number + 1, worker = $1, heartbeat_at = $2,
         started_at = $2, ended_at = NULL
       WHERE id IN (SELECT id FROM task_instances WHERE state IN ('queued', 'up_for_retry') AND ready_at <= $2 ${inScope}
                    ORDER BY priority, ready_at, id LIMIT $3 ${lock})
       RETURNING id, try_number`,
      scope.backfillId === undefined ? [worker, now, limit] : [worker, now, limit, scope.backfillId],
    );
    if (claimed.length === 0) return [];
    await tx.execute(
      `INSERT INTO task_tries (ti_id, try_number, state, worker, started_at) VALUES ${claimed
        .map((_, i) => `($${i * 2 + 3}, $${i * 2 + 4}, 'running', $1, $2)`)
        .join(', ')}`,
      [worker, now, ...claimed.flatMap((c) => [c.id, c.try_number])],
    );
    const ids = claimed.map((c) => c.id);
    const rows = await tx.query<{
      id: number;
      run_pk: number;
      dag_id: string;
      task_id: string;
      try_number: number;
      timeout_ms: number | null;
      run_id: string;
      run_type: ClaimedTask['runType'];
      logical_date: number;
      interval_start: number;
      interval_end: number;
      conf: string;
    }>(
      `SELECT t.id, t.run_pk, t.dag_id, t.task_id, t.try_number, t.timeout_ms, r.run_id, r.run_type, r.logical_date,
         r.interval_start, r.interval_end, r.conf
       FROM task_instances t JOIN dag_runs r ON r.id = t.run_pk
       WHERE t.id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')}) ORDER BY t.priority, t.id`,
      ids,
    );
    return rows.map((r) => ({
      tiId: r.id,
      runPk: r.run_pk,
      dagId: r.dag_id,
      taskId: r.task_id,
      tryNumber: r.try_number,
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
    `UPDATE task_instances SET heartbeat_at = $1 WHERE worker = $2 AND state = 'running' AND id IN (${tiIds.map((_, i) => `$${i + 3}`).join(', ')})`,
    [now, worker, ...tiIds],
  );
}

export interface TryEnd {
  readonly tiId: number;
  readonly tryNumber: number;
  readonly worker: string;
  readonly state: 'success' | 'failed';
  readonly outcome: TaskOutcome;
  readonly error?: { readonly code: string; readonly message: string };
  readonly log: readonly string[];
}

export type TryEndResult =
  /** The task succeeded; these downstream tasks became ready. */
  | { readonly state: 'success'; readonly ready: readonly string[]; readonly runState?: string }
  | { readonly state: 'up_for_retry'; readonly retryAt: number }
  /** Failed for good; these downstream tasks will not run. */
  | { readonly state: 'failed'; readonly upstreamFailed: readonly string[]; readonly runState?: string }
  /** The try was no longer this worker's (it was declared lost); nothing was recorded. */
  | { readonly state: 'stale' };

/**
 * Records the end of a try, in one transaction: the try, its log and checks, the task's new state,
 * and its downstream tasks made ready (or upstream_failed), and the run's end when it was the last.
 */
export async function endTry(db: Db, end: TryEnd, now: number): Promise<TryEndResult> {
  return db.transaction(async (tx) => {
    const [ti] = await tx.query<{
      run_pk: number;
      retries: number;
      failures: number;
      retry_delay_ms: number;
      retry_exponential: number;
      max_retry_delay_ms: number;
      downstream: string;
    }>(
      `SELECT run_pk, retries, failures, retry_delay_ms, retry_exponential, max_retry_delay_ms, downstream
       FROM task_instances WHERE id = $1 AND try_number = $2 AND worker = $3 AND state = 'running'`,
      [end.tiId, end.tryNumber, end.worker],
    );
    if (!ti) return { state: 'stale' };
    await recordTry(tx, end, now);

    if (end.state === 'success') {
      await tx.execute("UPDATE task_instances SET state = 'success', ended_at = $1 WHERE id = $2", [
        now,
        end.tiId,
      ]);
      const downstream = JSON.parse(ti.downstream) as string[];
      const ready: string[] = [];
      if (downstream.length > 0) {
        const list = downstream.map((_, i) => `$${i + 3}`).join(', ');
        const others = downstream.map((_, i) => `$${i + 2}`).join(', ');
        await tx.execute(
          `UPDATE task_instances SET upstream_done = upstream_done + 1 WHERE run_pk = $1 AND task_id IN (${others})`,
          [ti.run_pk, ...downstream],
        );
        const rows = await tx.query<{ task_id: string }>(
          `UPDATE task_instances SET state = 'queued', ready_at = $2
           WHERE run_pk = $1 AND state = 'scheduled' AND upstream_done = upstream_total AND task_id IN (${list})
           RETURNING task_id`,
          [ti.run_pk, now, ...downstream],
        );
        ready.push(...rows.map((r) => r.task_id));
        if (ready.length > 0) await notifyQueue(tx);
      }
      return { state: 'success', ready, runState: await completeRunIfDone(tx, ti.run_pk, now) };
    }

    const failures = ti.failures + 1;
    if (failures <= ti.retries) {
      const base = ti.retry_delay_ms * (ti.retry_exponential ? 2 ** (failures - 1) : 1);
      const retryAt = now + Math.min(base, ti.retry_exponential ? ti.max_retry_delay_ms : base);
      await tx.execute(
        "UPDATE task_instances SET state = 'up_for_retry', failures = $1, ready_at = $2, ended_at = $3 WHERE id = $4",
        [failures, retryAt, now, end.tiId],
      );
      return { state: 'up_for_retry', retryAt };
    }
    await tx.execute(
      "UPDATE task_instances SET state = 'failed', failures = $1, ended_at = $2 WHERE id = $3",
      [failures, now, end.tiId],
    );
    const upstreamFailed = await failDownstream(tx, ti.run_pk, JSON.parse(ti.downstream) as string[], now);
    return { state: 'failed', upstreamFailed, runState: await completeRunIfDone(tx, ti.run_pk, now) };
  });
}

async function recordTry(tx: DbSession, end: TryEnd, now: number): Promise<void> {
  await tx.execute(
    `UPDATE task_tries SET state = $1, ended_at = $2, error_code = $3, error_message = $4, outcome = $5
     WHERE ti_id = $6 AND try_number = $7`,
    [
      end.state,
      now,
      end.error?.code ?? null,
      end.error?.message ?? null,
      JSON.stringify(end.outcome),
      end.tiId,
      end.tryNumber,
    ],
  );
  await appendLog(tx, end.tiId, end.tryNumber, end.log);
  const checks: readonly CheckResult[] = end.outcome.checks ?? [];
  for (const [position, check] of checks.entries()) {
    await tx.execute(
      `INSERT INTO check_results (ti_id, try_number, position, name, check_sql, expected, actual, passed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        end.tiId,
        end.tryNumber,
        position,
        check.name,
        check.sql ?? null,
        check.expected,
        check.actual,
        check.passed ? 1 : 0,
      ],
    );
  }
}

/** Appends log lines of a try after those already stored. */
export async function appendLog(
  tx: DbSession,
  tiId: number,
  tryNumber: number,
  lines: readonly string[],
): Promise<void> {
  // One statement per slice of lines, numbered after those already stored (slices stay under the
  // engines' parameter limits).
  for (let start = 0; start < lines.length; start += 200) {
    const slice = lines.slice(start, start + 200);
    await tx.execute(
      `INSERT INTO task_log_lines (ti_id, try_number, line_no, text)
       SELECT $1, $2, (SELECT COALESCE(MAX(line_no), 0) FROM task_log_lines WHERE ti_id = $1 AND try_number = $2) + v.column1, v.column2
       FROM (VALUES ${slice.map((_, k) => `(CAST($${k * 2 + 3} AS INTEGER), CAST($${k * 2 + 4} AS TEXT))`).join(', ')}) AS v`,
      [tiId, tryNumber, ...slice.flatMap((text, k) => [k + 1, text])],
    );
  }
}

/** Marks every task below the failed ones upstream_failed; returns their ids. */
async function failDownstream(
  tx: DbSession,
  runPk: number,
  downstream: readonly string[],
  now: number,
): Promise<string[]> {
  const rows = await tx.query<{ task_id: string; downstream: string; state: string }>(
    'SELECT task_id, downstream, state FROM task_instances WHERE run_pk = $1',
    [runPk],
  );
  const below = new Map(rows.map((r) => [r.task_id, JSON.parse(r.downstream) as string[]]));
  const reached = new Set<string>();
  const stack = [...downstream];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(below.get(id) ?? []));
  }
  const failed: string[] = [];
  for (const id of reached) {
    const changed = await tx.execute(
      "UPDATE task_instances SET state = 'upstream_failed', ended_at = $1 WHERE run_pk = $2 AND task_id = $3 AND state = 'scheduled'",
      [now, runPk, id],
    );
    if (changed > 0) failed.push(id);
  }
  return failed;
}

/**
 * Closes the tries of running tasks whose worker stopped heartbeating as lost, and puts the tasks
 * back in the queue at once: a lost try does not use up a retry. Returns the task instances freed.
 */
export async function requeueZombies(db: Db, now: number, timeoutMs: number): Promise<number[]> {
  return db.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const zombies = await tx.query<{ id: number; try_number: number }>(
      `SELECT id, try_number FROM task_instances WHERE state = 'running' AND heartbeat_at < $1 ${lock}`,
      [now - timeoutMs],
    );
    for (const z of zombies) {
      await tx.execute(
        `UPDATE task_tries SET state = 'lost', ended_at = $1, error_code = 'lost',
           error_message = 'the worker running this try stopped heartbeating' WHERE ti_id = $2 AND try_number = $3`,
        [now, z.id, z.try_number],
      );
      await tx.execute(
        "UPDATE task_instances SET state = 'queued', ready_at = $1, worker = NULL WHERE id = $2",
        [now, z.id],
      );
    }
    return zombies.map((z) => z.id);
  });
}
