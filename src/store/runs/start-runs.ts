import { runsToStart, type QueuedRun } from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';
import { completeRunIfDone } from './complete-run.ts';
import { decideWaiting } from './propagate.ts';
import { startCovered } from './range-runs.ts';

/**
 * Starts the queued runs that src/lifecycle/run-admission.ts admits (max_active_runs of each DAG
 * and each backfill; scheduled and manual runs first): interval runs of their own and range runs,
 * whose covered interval runs start with them. A started run's waiting tasks are decided at once:
 * those without upstream tasks are queued for the workers. Returns how many runs started.
 */
export async function startQueuedRuns(
  db: Db,
  now: number,
  scope: { backfillId?: number } = {},
): Promise<number> {
  return db.transaction(async (tx) => {
    const queued = await tx.query<{
      id: number;
      dag_id: string;
      run_type: QueuedRun['runType'];
      logical_date: number;
      backfill_id: number | null;
      kind: 'interval' | 'range';
      dag_limit: number;
      backfill_limit: number | null;
    }>(
      `SELECT r.id, r.dag_id, r.run_type, r.logical_date, r.backfill_id, r.kind, d.max_active_runs AS dag_limit,
         b.max_active_runs AS backfill_limit
       FROM dag_runs r JOIN dags d ON d.dag_id = r.dag_id LEFT JOIN backfills b ON b.id = r.backfill_id
       WHERE r.state = 'queued' AND r.range_run_pk IS NULL AND (b.id IS NULL OR b.state <> 'cancelled')${scope.backfillId === undefined ? '' : ' AND r.backfill_id = $1'}`,
      scope.backfillId === undefined ? [] : [scope.backfillId],
    );
    if (queued.length === 0) return 0;
    const byDag = new Map<string, number>();
    for (const row of await tx.query<{ dag_id: string; n: number }>(
      "SELECT dag_id, COUNT(*) AS n FROM dag_runs WHERE state = 'running' AND range_run_pk IS NULL GROUP BY dag_id",
    ))
      byDag.set(row.dag_id, Number(row.n));
    const byBackfill = new Map<number, number>();
    for (const row of await tx.query<{ backfill_id: number; n: number }>(
      "SELECT backfill_id, COUNT(*) AS n FROM dag_runs WHERE state = 'running' AND backfill_id IS NOT NULL AND range_run_pk IS NULL GROUP BY backfill_id",
    ))
      byBackfill.set(Number(row.backfill_id), Number(row.n));
    const ranges = new Set(queued.filter((r) => r.kind === 'range').map((r) => Number(r.id)));
    const start = runsToStart(
      queued.map((r) => ({
        id: Number(r.id),
        dagId: r.dag_id,
        runType: r.run_type,
        logicalDate: Number(r.logical_date),
        backfillId: r.backfill_id === null ? null : Number(r.backfill_id),
        dagLimit: Number(r.dag_limit),
        backfillLimit: r.backfill_limit === null ? null : Number(r.backfill_limit),
      })),
      { byDag, byBackfill },
    );
    for (const runPk of start) {
      await tx.execute("UPDATE dag_runs SET state = 'running', started_at = $1 WHERE id = $2", [now, runPk]);
      if (ranges.has(runPk)) await startCovered(tx, runPk, now);
      const decided = await decideWaiting(tx, runPk, now);
      // A cleared run may have nothing left to run (its cleared tasks' upstream failed).
      if (decided.ready.length === 0) await completeRunIfDone(tx, runPk, now);
    }
    return start.length;
  });
}
