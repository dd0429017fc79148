import type { Db, DbSession } from './db.ts';

/**
 * Clears task instances of a run so they run again (Airflow's "clear"): the tasks named, and with
 * `downstream` every task below them; all of them when none are named. Their try numbers go on
 * counting; their failures are forgotten. The run goes back to queued, and the scheduler starts it.
 * Returns the task ids cleared.
 */
export async function clearTasks(
  db: Db,
  runPk: number,
  taskIds: readonly string[] | undefined,
  options: { downstream?: boolean; onlyFailed?: boolean } = {},
): Promise<string[]> {
  return db.transaction((tx) => clearInTransaction(tx, runPk, taskIds, options));
}

export async function clearInTransaction(
  tx: DbSession,
  runPk: number,
  taskIds: readonly string[] | undefined,
  options: { downstream?: boolean; onlyFailed?: boolean } = {},
): Promise<string[]> {
  const rows = await tx.query<{ task_id: string; state: string; downstream: string }>(
    'SELECT task_id, state, downstream FROM task_instances WHERE run_pk = $1',
    [runPk],
  );
  const below = new Map(rows.map((r) => [r.task_id, JSON.parse(r.downstream) as string[]]));
  const chosen = new Set(taskIds ?? rows.map((r) => r.task_id));
  if (options.downstream) {
    const stack = [...chosen];
    while (stack.length > 0) {
      for (const next of below.get(stack.pop() as string) ?? []) {
        if (!chosen.has(next)) {
          chosen.add(next);
          stack.push(next);
        }
      }
    }
  }
  if (options.onlyFailed) {
    const failed = new Set(rows.filter((r) => r.state !== 'success').map((r) => r.task_id));
    for (const id of chosen) if (!failed.has(id)) chosen.delete(id);
  }
  const cleared = rows.filter((r) => chosen.has(r.task_id) && r.state !== 'running').map((r) => r.task_id);
  if (cleared.length === 0) return [];
  for (const id of cleared) {
    await tx.execute(
      `UPDATE task_instances SET state = 'scheduled', failures = 0, ready_at = NULL, worker = NULL, heartbeat_at = NULL,
         started_at = NULL, ended_at = NULL WHERE run_pk = $1 AND task_id = $2`,
      [runPk, id],
    );
  }
  // Each task's count of finished upstream tasks, from the states after clearing.
  const state = new Map(rows.map((r) => [r.task_id, cleared.includes(r.task_id) ? 'scheduled' : r.state]));
  const upstreamDone = new Map<string, number>(rows.map((r) => [r.task_id, 0]));
  for (const [task, downstream] of below) {
    if (state.get(task) !== 'success') continue;
    for (const d of downstream) upstreamDone.set(d, (upstreamDone.get(d) ?? 0) + 1);
  }
  for (const id of cleared) {
    await tx.execute('UPDATE task_instances SET upstream_done = $1 WHERE run_pk = $2 AND task_id = $3', [
      upstreamDone.get(id) ?? 0,
      runPk,
      id,
    ]);
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
