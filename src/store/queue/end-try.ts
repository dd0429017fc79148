/**
 * The end of a try, written down in one transaction: the try with its log and checks, the task
 * instance's next state (src/lifecycle/retry-policy.ts), its downstream tasks made ready or
 * upstream_failed (src/lifecycle/dependencies.ts), and the run's end when it was the last.
 */
import {
  afterTry,
  graphFromDownstream,
  skippedBy,
  type RunState,
  type TaskEnd,
} from '../../lifecycle/index.ts';
import type { Db, DbSession } from '../db/index.ts';
import { completeRunIfDone, countEnds, runGraph, skipTasks } from '../runs/index.ts';
import { recordTry, type TryEnd } from './record-try.ts';

export type TryEndResult =
  /** The task succeeded; these downstream tasks became ready. */
  | { readonly state: 'success'; readonly ready: readonly string[]; readonly runState?: RunState }
  | { readonly state: 'up_for_retry'; readonly retryAt: number }
  /** Failed for good; these downstream tasks will not run. */
  | { readonly state: 'failed'; readonly upstreamFailed: readonly string[]; readonly runState?: RunState }
  /** The try was no longer this worker's (it was declared lost); nothing was recorded. */
  | { readonly state: 'stale' };

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
    }>(
      `SELECT run_pk, task_id, retries, failures, retry_delay_ms, retry_exponential, max_retry_delay_ms, downstream
       FROM task_instances WHERE id = $1 AND try_number = $2 AND worker = $3 AND state = 'running'`,
      [end.tiId, end.tryNumber, end.worker],
    );
    if (!ti) return { state: 'stale' };
    await recordTry(tx, end, now);
    const verdict = afterTry(
      end.state,
      {
        retries: Number(ti.retries),
        retryDelayMs: Number(ti.retry_delay_ms),
        retryExponentialBackoff: Boolean(Number(ti.retry_exponential)),
        maxRetryDelayMs: Number(ti.max_retry_delay_ms),
      },
      Number(ti.failures),
      now,
    );
    switch (verdict.state) {
      case 'up_for_retry':
        await tx.execute(
          "UPDATE task_instances SET state = 'up_for_retry', failures = $1, ready_at = $2, ended_at = $3 WHERE id = $4",
          [verdict.failures, verdict.retryAt, now, end.tiId],
        );
        return { state: 'up_for_retry', retryAt: verdict.retryAt };
      case 'success':
      case 'failed': {
        const failures = verdict.state === 'failed' ? verdict.failures : Number(ti.failures);
        await tx.execute('UPDATE task_instances SET state = $1, failures = $2, ended_at = $3 WHERE id = $4', [
          verdict.state,
          failures,
          now,
          end.tiId,
        ]);
        const downstream = JSON.parse(ti.downstream) as string[];
        const skipped =
          verdict.state === 'success'
            ? await skipChosenOut(tx, ti.run_pk, ti.task_id, downstream, end, now)
            : [];
        const ends = [{ state: verdict.state, downstream }, ...skipped];
        const changed = await countEnds(tx, ti.run_pk, ends, now);
        const runState = await completeRunIfDone(tx, ti.run_pk, now);
        return verdict.state === 'success'
          ? { state: 'success', ready: changed.ready, runState }
          : { state: 'failed', upstreamFailed: changed.upstreamFailed, runState };
      }
    }
  });
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
