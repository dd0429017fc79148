/**
 * A run's task instances as a clear or a mark reads them, and their states written back with every
 * upstream count made to agree with them.
 */
import {
  countsAfterClear,
  graphFromDownstream,
  isTerminalTaskState,
  type TaskGraph,
  type TaskState,
} from '../../lifecycle/index.ts';
import type { DbSession } from '../db/index.ts';

interface TaskRow {
  task_id: string;
  state: TaskState;
  downstream: string;
  upstream_done: number;
  upstream_success: number;
  upstream_skipped: number;
  upstream_failed: number;
}

export interface RunTasks {
  readonly rows: readonly TaskRow[];
  readonly graph: TaskGraph;
  readonly states: ReadonlyMap<string, TaskState>;
}

/** The caller holds the run's lock (lockRun). */
export async function readRunTasks(tx: DbSession, runPk: number): Promise<RunTasks> {
  const rows = await tx.query<TaskRow>(
    `SELECT task_id, state, downstream, upstream_done, upstream_success, upstream_skipped, upstream_failed
     FROM task_instances WHERE run_pk = $1`,
    [runPk],
  );
  const graph = graphFromDownstream(
    rows.map((r) => ({ taskId: r.task_id, downstream: JSON.parse(r.downstream) as string[] })),
  );
  return { rows, graph, states: new Map(rows.map((r) => [r.task_id, r.state])) };
}

/**
 * Writes these new states (scheduled: to run again, its failures forgotten; an ended state: ended
 * now), then every task's upstream counts from the states after them, where they changed.
 */
export async function writeStates(
  tx: DbSession,
  runPk: number,
  run: RunTasks,
  changes: ReadonlyMap<string, TaskState>,
  now: number,
): Promise<void> {
  for (const [id, state] of changes) {
    if (state === 'scheduled')
      await tx.execute(
        `UPDATE task_instances SET state = 'scheduled', failures = 0, ready_at = NULL, worker = NULL, heartbeat_at = NULL,
           started_at = NULL, first_started_at = NULL, ended_at = NULL WHERE run_pk = $1 AND task_id = $2`,
        [runPk, id],
      );
    else
      await tx.execute(
        'UPDATE task_instances SET state = $3, ended_at = $4 WHERE run_pk = $1 AND task_id = $2',
        [runPk, id, state, isTerminalTaskState(state) ? now : null],
      );
  }
  const after = new Map(run.states);
  for (const [id, state] of changes) after.set(id, state);
  const counts = countsAfterClear(run.graph, after, []);
  for (const row of run.rows) {
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
}

/** A finished backfill whose run goes on again is running again, until that run ends. */
export async function reopenBackfill(tx: DbSession, runPk: number): Promise<void> {
  await tx.execute(
    `UPDATE backfills SET state = 'running', ended_at = NULL
     WHERE state IN ('success', 'failed') AND id = (SELECT backfill_id FROM dag_runs WHERE id = $1)`,
    [runPk],
  );
}
