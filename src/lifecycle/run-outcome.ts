/**
 * When a run, and a backfill, has ended, and how: decided from the states of what is below it.
 */
import {
  FINISHED_OK_TASK_STATES,
  isTerminalTaskState,
  type BackfillState,
  type RunState,
  type TaskState,
} from './states.ts';
import type { TaskGraph } from './task-graph.ts';

/** How many of a run's task instances are in a state. */
export interface StateCount<S extends string> {
  readonly state: S;
  readonly count: number;
}

/** A run's task instances in a state, as leaves (no downstream task) or not. */
export interface TaskStateCount extends StateCount<TaskState> {
  readonly leaf: boolean;
}

/**
 * The state a running run ends in once none of its task instances is still to run, as Airflow
 * decides: failed when a leaf task (one with no downstream) failed or is upstream_failed, else
 * success — a failure that a downstream task ran after anyway (all_done, one_failed…) does not
 * fail the run. Undefined while any task instance is still to run.
 */
export function runOutcome(tasks: readonly TaskStateCount[]): 'success' | 'failed' | undefined {
  const present = tasks.filter((t) => t.count > 0);
  if (present.some((t) => !isTerminalTaskState(t.state))) return undefined;
  const failedLeaf = present.some(
    (t) => t.leaf && !(FINISHED_OK_TASK_STATES as readonly string[]).includes(t.state),
  );
  return failedLeaf ? 'failed' : 'success';
}

/** runOutcome of one run's task states, its leaves from the run's graph. */
export function outcomeOfStates(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
): 'success' | 'failed' | undefined {
  return runOutcome(
    [...states].map(([id, state]) => ({
      state,
      count: 1,
      leaf: (graph.get(id)?.downstream.length ?? 0) === 0,
    })),
  );
}

/**
 * The state a running backfill ends in once none of its runs is queued or running: failed when
 * any run failed, else success; undefined while any is still to end.
 */
export function backfillOutcome(
  runs: readonly StateCount<RunState>[],
): Extract<BackfillState, 'success' | 'failed'> | undefined {
  const present = runs.filter((r) => r.count > 0);
  if (present.some((r) => r.state === 'queued' || r.state === 'running')) return undefined;
  return present.some((r) => r.state === 'failed') ? 'failed' : 'success';
}
