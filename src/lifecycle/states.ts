/**
 * The states of task instances, tries and runs: each a `const` list, with the groups the rules
 * ask about. Everything that stores, shows or decides a state takes its names from here.
 */

/**
 * scheduled → queued → running → success | failed | up_for_retry | upstream_failed | skipped, and
 * up_for_reschedule for a sensor between pokes (queued again after its poke interval, holding no
 * worker slot meanwhile).
 */
export const TASK_STATES = [
  'scheduled',
  'queued',
  'running',
  'success',
  'failed',
  'up_for_retry',
  'up_for_reschedule',
  'upstream_failed',
  'skipped',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** A task instance in one of these will not change again unless it is cleared. */
export const TERMINAL_TASK_STATES = ['success', 'failed', 'upstream_failed', 'skipped'] as const;
export type TerminalTaskState = (typeof TERMINAL_TASK_STATES)[number];

/** Still to end: waiting for its upstream, for a worker, for its retry or next poke, or running. */
export const ACTIVE_TASK_STATES = [
  'scheduled',
  'queued',
  'running',
  'up_for_retry',
  'up_for_reschedule',
] as const;

/** Ended without a failure: what a downstream task under all_success may follow. */
export const FINISHED_OK_TASK_STATES = ['success', 'skipped'] as const;

/**
 * The states a worker may claim a task instance in (up_for_retry once its delay has passed,
 * up_for_reschedule once its poke interval has).
 */
export const CLAIMABLE_TASK_STATES = ['queued', 'up_for_retry', 'up_for_reschedule'] as const;

/**
 * A try's own state: `lost` when its worker stopped heartbeating; `up_for_reschedule` between a
 * sensor's pokes, which all belong to one try; `skipped` when the task skipped itself.
 */
export const TRY_STATES = ['running', 'success', 'failed', 'skipped', 'up_for_reschedule', 'lost'] as const;
export type TryState = (typeof TRY_STATES)[number];

export const RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const ACTIVE_RUN_STATES = ['queued', 'running'] as const;
export const TERMINAL_RUN_STATES = ['success', 'failed'] as const;

export const BACKFILL_STATES = ['creating', 'running', 'success', 'failed', 'cancelled'] as const;
export type BackfillState = (typeof BACKFILL_STATES)[number];

export function isTerminalTaskState(state: string): state is TerminalTaskState {
  return (TERMINAL_TASK_STATES as readonly string[]).includes(state);
}

export function isTaskState(state: string): state is TaskState {
  return (TASK_STATES as readonly string[]).includes(state);
}
