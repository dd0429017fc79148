import { tasksToClear, type ClearOptions } from '../../lifecycle/index.ts';
import type { Db, DbSession } from '../db/index.ts';
import { lockRun } from './complete-run.ts';
import { ownTasks } from './range-runs.ts';
import { readRunTasks, reopenBackfill, writeStates } from './run-tasks.ts';

/**
 * Clears task instances of a run so they run again (Airflow's "clear"): which ones is
 * src/lifecycle/clear.ts's rule. Their try numbers go on counting; their failures are forgotten.
 * The run goes back to queued, and the scheduler starts it. Returns the task ids cleared.
 */
export async function clearTasks(
  db: Db,
  runPk: number,
  taskIds: readonly string[] | undefined,
  options: ClearOptions = {},
): Promise<string[]> {
  return db.transaction((tx) => clearInTransaction(tx, runPk, taskIds, options));
}

export async function clearInTransaction(
  tx: DbSession,
  runPk: number,
  taskIds: readonly string[] | undefined,
  options: ClearOptions = {},
): Promise<string[]> {
  await lockRun(tx, runPk);
  await ownTasks(tx, runPk);
  const run = await readRunTasks(tx, runPk);
  const cleared = tasksToClear(run.graph, run.states, taskIds, options);
  if (cleared.length === 0) return [];
  await writeStates(tx, runPk, run, new Map(cleared.map((id) => [id, 'scheduled' as const])), 0);
  await tx.execute("UPDATE dag_runs SET state = 'queued', ended_at = NULL WHERE id = $1", [runPk]);
  await reopenBackfill(tx, runPk);
  return cleared;
}

export interface ClearAcross extends ClearOptions {
  /** Also the same tasks in the DAG's later runs. @default false */
  readonly future?: boolean;
  /** Also the same tasks in the DAG's earlier runs. @default false */
  readonly past?: boolean;
}

/**
 * Clears in run `runPk` and, with `future` and `past`, the same tasks in the DAG's later and
 * earlier runs (Airflow's clear options), in the caller's transaction. Returns what it cleared,
 * run by run, oldest first; runs with nothing to clear are left out.
 */
export async function clearAcrossRuns(
  tx: DbSession,
  runPk: number,
  taskIds: readonly string[] | undefined,
  options: ClearAcross,
): Promise<{ runPk: number; runId: string; cleared: string[] }[]> {
  const [run] = await tx.query<{ dag_id: string; logical_date: number }>(
    'SELECT dag_id, logical_date FROM dag_runs WHERE id = $1',
    [runPk],
  );
  if (!run) return [];
  const runs = await tx.query<{ id: number; run_id: string }>(
    `SELECT id, run_id FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND (id = $2
       ${options.future ? 'OR logical_date > $3' : ''} ${options.past ? 'OR logical_date < $3' : ''})
     ORDER BY logical_date`,
    options.future || options.past ? [run.dag_id, runPk, Number(run.logical_date)] : [run.dag_id, runPk],
  );
  const result: { runPk: number; runId: string; cleared: string[] }[] = [];
  for (const r of runs) {
    const cleared = await clearInTransaction(tx, Number(r.id), taskIds, options);
    if (cleared.length > 0) result.push({ runPk: Number(r.id), runId: r.run_id, cleared });
  }
  return result;
}
