// The states' colours, like Airflow's: one place, used by the grid, the graph and the legend. The
// states themselves are the engine's (src/lifecycle/states.ts), and 'none' where a run has no
// instance of a task.
import { TASK_STATES as ENGINE_TASK_STATES } from '../../../src/lifecycle/states.ts';
import type { RunState, TaskState } from '../api.ts';

export type AnyState = TaskState | RunState;

/** In the legend's order: the lifecycle's, from waiting to ended. */
export const TASK_STATES: readonly TaskState[] = [...ENGINE_TASK_STATES, 'none'];

/** Fill colours; the CSS classes `state-<name>` use the same values through variables. */
export const STATE_COLOURS: Readonly<Record<AnyState, string>> = {
  success: '#008000',
  failed: '#d0021b',
  running: '#32cd32',
  queued: '#808080',
  up_for_retry: '#ffd700',
  up_for_reschedule: '#40e0d0',
  upstream_failed: '#ff8c00',
  scheduled: '#d2b48c',
  skipped: '#ff69b4',
  none: '#ffffff',
};

/** Text that reads on each fill. */
export const STATE_TEXT: Readonly<Record<AnyState, string>> = {
  success: '#ffffff',
  failed: '#ffffff',
  running: '#10210f',
  queued: '#ffffff',
  up_for_retry: '#2b2400',
  up_for_reschedule: '#062a27',
  upstream_failed: '#1f1200',
  scheduled: '#2a2114',
  skipped: '#2d0a1c',
  none: '#333333',
};

export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}

export function isAnyState(state: string): state is AnyState {
  return state in STATE_COLOURS;
}
