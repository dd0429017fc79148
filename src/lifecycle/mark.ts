/**
 * Marking (Airflow's "mark success / failed"): a person sets a task instance's or a run's state
 * by hand. What else changes with it is decided here; the trigger rules decide the rest.
 */
import { below, type TaskGraph } from './task-graph.ts';
import { isTerminalTaskState, type TaskState } from './states.ts';

export type MarkState = 'success' | 'failed';

/**
 * The task instances to change when `taskId` is marked `state`: itself, and, marked success, the
 * tasks below it that its failure had ended at once (upstream_failed, or skipped by the spread):
 * back to scheduled, for their trigger rules to decide again. Marked failed, the tasks below it
 * are decided by their trigger rules as after any failure.
 */
export function markTask(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
  taskId: string,
  state: MarkState,
): Map<string, TaskState> {
  const changes = new Map<string, TaskState>([[taskId, state]]);
  if (state === 'success')
    for (const id of below(graph, [taskId]))
      if (states.get(id) === 'upstream_failed' || states.get(id) === 'skipped') changes.set(id, 'scheduled');
  return changes;
}

/**
 * The task instances to change when a whole run is marked, as Airflow does: success marks every
 * task instance success; failed marks those running or queued failed and those still to run
 * skipped, leaving the ended ones as they are.
 */
export function markRun(states: ReadonlyMap<string, TaskState>, state: MarkState): Map<string, TaskState> {
  const changes = new Map<string, TaskState>();
  for (const [id, current] of states) {
    if (state === 'success') {
      if (current !== 'success') changes.set(id, 'success');
    } else if (current === 'running' || current === 'queued') changes.set(id, 'failed');
    else if (!isTerminalTaskState(current)) changes.set(id, 'skipped');
  }
  return changes;
}
