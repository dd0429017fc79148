/**
 * The end of a try, written down in one transaction: the try with its log and checks, the task
 * instance's next state (src/lifecycle/retry-policy.ts), its downstream tasks made ready or
 * upstream_failed (src/lifecycle/dependencies.ts), and the run's end when it was the last.
 */
import {
  ACTIVE_TASK_STATES,
  afterTry,
  retriesInRun,
  graphFromDownstream,
  skippedBy,
  type RunState,
  type TaskEnd,
  type TryEnding,
} from '../../lifecycle/index.ts';
import { inOneStatement, sqlList, type Db, type DbSession, type Statement } from '../db/index.ts';
import { completeRunIfDone, countEnds, runGraph, skipTasks } from '../runs/index.ts';
import { recordChecks, recordTryStatements, type TryEnd } from './record-try.ts';

const ACTIVE = sqlList(ACTIVE_TASK_STATES);

export type TryEndResult =
  /** The task succeeded; these downstream tasks became ready. */
  | { readonly state: 'success'; readonly ready: readonly string[]; readonly runState?: RunState }
  | { readonly state: 'up_for_retry'; readonly retryAt: number }
  /** A sensor pokes again then, on the same try. */
  | { readonly state: 'up_for_reschedule'; readonly readyAt: number }
  /** The task skipped itself; so did these tasks below it. */
  | { readonly state: 'skipped'; readonly skipped: readonly string[]; readonly runState?: RunState }
  /** Failed for good; these downstream tasks will not run. */
  | { readonly state: 'failed'; readonly upstreamFailed: readonly string[]; readonly runState?: RunState }
  /** The try was no longer this worker's (it was declared lost); nothing was recorded. */
  | { readonly state: 'stale' };

/**
 * On PostgreSQL the first statement locks the try's task instance (a zombie sweep skips it) and its
 * run (lockRun's order: the run, then its tasks); the try's row, log and next state then go in one
 * statement, and the downstream tasks and the run's end are written only when there are any.
 */
export async function endTry(db: Db, end: TryEnd, now: number): Promise<TryEndResult> {
  return db.transaction(async (tx) => {
    const [ti] = await tx.query<{
      run_pk: number;
      task_id: string;
      retries: number;
      failures: number;
      retry_delay_ms: number;
      retry_exponential: number;
      max_retry_delay_ms: number;
      downstream: string;
      intervals: number;
    }>(
      `SELECT t.run_pk, t.task_id, t.retries, t.failures, t.retry_delay_ms, t.retry_exponential, t.max_retry_delay_ms,
         t.downstream, r.intervals
       FROM task_instances t JOIN dag_runs r ON r.id = t.run_pk
       WHERE t.id = $1 AND t.try_number = $2 AND t.worker = $3 AND t.state = 'running'
       ${tx.dialect === 'postgres' ? 'FOR NO KEY UPDATE OF r FOR UPDATE OF t' : ''}`,
      [end.tiId, end.tryNumber, end.worker],
    );
    if (!ti) return { state: 'stale' };
    const verdict = afterTry(
      tryEnding(end),
      {
        retries: retriesInRun(Number(ti.retries), Number(ti.intervals)),
        retryDelayMs: Number(ti.retry_delay_ms),
        retryExponentialBackoff: Boolean(Number(ti.retry_exponential)),
        maxRetryDelayMs: Number(ti.max_retry_delay_ms),
      },
      Number(ti.failures),
      now,
    );
    const recorded = (...next: Statement[]) =>
      inOneStatement<{ active: number }>(tx, [...recordTryStatements(tx.dialect, end, now), ...next]);
    await recordChecks(tx, end);
    switch (verdict.state) {
      case 'up_for_reschedule':
        await recorded({
          sql: "UPDATE task_instances SET state = 'up_for_reschedule', ready_at = $1, worker = NULL WHERE id = $2",
          params: [verdict.readyAt, end.tiId],
        });
        return { state: 'up_for_reschedule', readyAt: verdict.readyAt };
      case 'up_for_retry':
        await recorded({
          sql: "UPDATE task_instances SET state = 'up_for_retry', failures = $1, ready_at = $2, ended_at = $3 WHERE id = $4",
          params: [verdict.failures, verdict.retryAt, now, end.tiId],
        });
        return { state: 'up_for_retry', retryAt: verdict.retryAt };
      case 'success':
      case 'skipped':
      case 'failed': {
        const failures = verdict.state === 'failed' ? verdict.failures : Number(ti.failures);
        // Whether another task of the run is still to end, read under the run's lock (so no other
        // end is under way) in the statement's snapshot, which leaves this task's own end out.
        const [othersActive] = await recorded(
          {
            sql: 'UPDATE task_instances SET state = $1, failures = $2, ended_at = $3 WHERE id = $4',
            params: [verdict.state, failures, now, end.tiId],
          },
          {
            sql: `SELECT 1 AS active FROM task_instances WHERE run_pk = $1 AND id <> $2 AND state IN (${ACTIVE}) LIMIT 1`,
            params: [ti.run_pk, end.tiId],
          },
        );
        const downstream = JSON.parse(ti.downstream) as string[];
        const skipped =
          verdict.state === 'success'
            ? await skipChosenOut(tx, ti.run_pk, ti.task_id, downstream, end, now)
            : [];
        const ends = [{ state: verdict.state, downstream }, ...skipped];
        const changed = await countEnds(tx, ti.run_pk, ends, now);
        // The run can have ended only if nothing else was active, or this end ended tasks below it.
        const mayHaveEnded =
          !othersActive ||
          skipped.length > 0 ||
          changed.upstreamFailed.length > 0 ||
          changed.skipped.length > 0;
        const runState = mayHaveEnded ? await completeRunIfDone(tx, ti.run_pk, now) : undefined;
        if (verdict.state === 'success') return { state: 'success', ready: changed.ready, runState };
        if (verdict.state === 'skipped') return { state: 'skipped', skipped: changed.skipped, runState };
        return { state: 'failed', upstreamFailed: changed.upstreamFailed, runState };
      }
    }
  });
}

function tryEnding(end: TryEnd): TryEnding {
  if (end.state === 'up_for_reschedule') return { rescheduleAt: end.rescheduleAt ?? 0 };
  return end.state === 'failed' && end.final ? 'final' : end.state;
}

/** What a branch did not follow, or everything below a short circuit, skipped at once. */
async function skipChosenOut(
  tx: DbSession,
  runPk: number,
  taskId: string,
  downstream: readonly string[],
  end: TryEnd,
  now: number,
): Promise<TaskEnd[]> {
  if (!end.outcome.follow && !end.outcome.shortCircuit) return [];
  const graph = end.outcome.shortCircuit
    ? await runGraph(tx, runPk)
    : graphFromDownstream([{ taskId, downstream }]);
  return skipTasks(tx, runPk, skippedBy(graph, taskId, end.outcome), now);
}
