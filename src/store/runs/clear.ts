import {
  countsAfterClear,
  graphFromDownstream,
  tasksToClear,
  type ClearOptions,
  type TaskState,
} from '../../lifecycle/index.ts';
import type { Db, DbSession } from '../db/index.ts';

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
  // The run's backfill row first, as finishBackfills locks it first: the two never cross.
  if (tx.dialect === 'postgres')
    await tx.query(
      'SELECT b.id FROM backfills b JOIN dag_runs r ON r.backfill_id = b.id WHERE r.id = $1 FOR UPDATE OF b',
      [runPk],
    );
  const rows = await tx.query<{
    task_id: string;
    state: TaskState;
    downstream: string;
    upstream_done: number;
    upstream_success: number;
    upstream_skipped: number;
    upstream_failed: number;
  }>(
    `SELECT task_id, state, downstream, upstream_done, upstream_success, upstream_skipped, upstream_failed
     FROM task_instances WHERE run_pk = $1`,
    [runPk],
  );
  const graph = graphFromDownstream(
    rows.map((r) => ({ taskId: r.task_id, downstream: JSON.parse(r.downstream) as string[] })),
  );
  const states = new Map(rows.map((r) => [r.task_id, r.state]));
  const cleared = tasksToClear(graph, states, taskIds, options);
  if (cleared.length === 0) return [];
  for (const id of cleared) {
    await tx.execute(
      `UPDATE task_instances SET state = 'scheduled', failures = 0, ready_at = NULL, worker = NULL, heartbeat_at = NULL,
         started_at = NULL, ended_at = NULL WHERE run_pk = $1 AND task_id = $2`,
      [runPk, id],
    );
  }
  // Every task's upstream counts from the states after clearing, where they changed.
  const counts = countsAfterClear(graph, states, cleared);
  for (const row of rows) {
    const c = counts.get(row.task_id);
    if (!c) continue;
    const same =
      Number(row.upstream_done) === c.done &&
      Number(row.upstream_success) === c.success &&
      Number(row.upstream_skipped) === c.skipped &&
      Number(row.upstream_failed) === c.failed;
    if (same) continue;
    await tx.execute(
      `UPDATE task_instances SET upstream_done = $3, upstream_success = $4, upstream_skipped = $5, upstream_failed = $6
       WHERE run_pk = $1 AND task_id = $2`,
      [runPk, row.task_id, c.done, c.success, c.skipped, c.failed],
    );
  }
  await tx.execute("UPDATE dag_runs SET state = 'queued', ended_at = NULL WHERE id = $1", [runPk]);
  // A finished backfill whose run is cleared is running again, until that run ends.
  await tx.execute(
    `UPDATE backfills SET state = 'running', ended_at = NULL
     WHERE state IN ('success', 'failed') AND id = (SELECT backfill_id FROM dag_runs WHERE id = $1)`,
    [runPk],
  );
  return cleared;
}
