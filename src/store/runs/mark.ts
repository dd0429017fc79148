/**
 * Marking by hand, written down: a task instance or a whole run set success or failed (the rules
 * of what changes with it are src/lifecycle/mark.ts's), with who did it and when; the run goes on
 * when the mark leaves tasks to run, and ends as its task states say.
 */
import { markRun, markTask, type MarkState } from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';
import { completeRunIfDone, lockRun } from './complete-run.ts';
import { decideWaiting } from './propagate.ts';
import { ownTasks } from './range-runs.ts';
import { readRunTasks, reopenBackfill, writeStates } from './run-tasks.ts';

export type MarkResult =
  | { readonly marked: readonly string[] }
  /** A running task instance is not marked: its try would overwrite the mark. */
  | { readonly running: string };

export async function markTaskInstance(
  db: Db,
  runPk: number,
  taskId: string,
  state: MarkState,
  by: string,
  now: number,
): Promise<MarkResult> {
  return db.transaction(async (tx) => {
    await lockRun(tx, runPk);
    await ownTasks(tx, runPk);
    const run = await readRunTasks(tx, runPk);
    if (run.states.get(taskId) === 'running') return { running: taskId };
    const changes = markTask(run.graph, run.states, taskId, state);
    await writeStates(tx, runPk, run, changes, now);
    await tx.execute(
      'UPDATE task_instances SET marked_by = $3, marked_at = $4 WHERE run_pk = $1 AND task_id = $2',
      [runPk, taskId, by, now],
    );
    // A run that had ended goes on when the mark left tasks to run; one not started yet starts as usual.
    const [row] = await tx.query<{ state: string }>('SELECT state FROM dag_runs WHERE id = $1', [runPk]);
    if (row?.state !== 'queued') {
      await tx.execute("UPDATE dag_runs SET state = 'running', ended_at = NULL WHERE id = $1", [runPk]);
      await decideWaiting(tx, runPk, now);
      await completeRunIfDone(tx, runPk, now);
      // Its backfill ends again by its runs' states, at the scheduler's next look.
      await reopenBackfill(tx, runPk);
    }
    return { marked: [...changes.keys()] };
  });
}

/** Marks the whole run: its task instances as lifecycle's markRun says, and the run itself. */
export async function markDagRun(
  db: Db,
  runPk: number,
  state: MarkState,
  by: string,
  now: number,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await lockRun(tx, runPk);
    await ownTasks(tx, runPk);
    const run = await readRunTasks(tx, runPk);
    const changes = markRun(run.states, state);
    await writeStates(tx, runPk, run, changes, now);
    await tx.execute(
      'UPDATE dag_runs SET state = $2, ended_at = $3, marked_by = $4, marked_at = $3 WHERE id = $1',
      [runPk, state, now, by],
    );
    // Its backfill ends again by its runs' states, at the scheduler's next look.
    await reopenBackfill(tx, runPk);
    return [...changes.keys()];
  });
}
