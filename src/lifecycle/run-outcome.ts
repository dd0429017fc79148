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

/** How many of a run's task instances are in a state. */
export interface StateCount<S extends string> {
  readonly state: S;
  readonly count: number;
}

/**
 * The state a running run ends in once none of its task instances is still to run: success when
 * every one succeeded or was skipped, else failed; undefined while any is still to run.
 */
export function runOutcome(tasks: readonly StateCount<TaskState>[]): 'success' | 'failed' | undefined {
  const present = tasks.filter((t) => t.count > 0);
  if (present.some((t) => !isTerminalTaskState(t.state))) return undefined;
  const ok = present.every((t) => (FINISHED_OK_TASK_STATES as readonly string[]).includes(t.state));
  return ok ? 'success' : 'failed';
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
