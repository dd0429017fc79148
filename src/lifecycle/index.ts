/**
 * The lifecycle of runs and task instances: pure decisions, no I/O. The metadata store calls them
 * inside its transactions on the rows it has just read, and the in-process runner of `dags test`
 * on its own map of states, so that both decide alike.
 *
 * - states: the names of task-instance, try, run and backfill states, and their groups.
 * - retry policy: what a try's end makes of its task instance (retry when, or fail).
 * - dependencies: the trigger rules; which waiting tasks become ready, upstream_failed or skipped.
 * - run outcome: when a run or a backfill has ended, and in which state.
 * - run admission: which queued runs start (max_active_runs, fresh runs before backfills).
 * - schedule walk: due intervals (catchup or not) and backfill plans (`--reprocess`).
 * - clear: which task instances a clear sends back, and their upstream counts after it.
 * - range runs: which intervals of a backfill run together, how a failed range is split.
 */
export * from './states.ts';
export { afterLostTry, afterTry, retryDelay } from './retry-policy.ts';
export type { RetrySettings, TryEnding, TryVerdict } from './retry-policy.ts';
export { above, below, graphFromDownstream, graphOf } from './task-graph.ts';
export type { GraphTask, TaskGraph } from './task-graph.ts';
export {
  addDelta,
  decide,
  DEFAULT_TRIGGER_RULE,
  deltaOf,
  noneEnded,
  pastAllows,
  readiness,
  settle,
  TRIGGER_RULE_TABLE,
  upstreamCounts,
  upstreamDeltas,
  upstreamFailedOf,
} from './dependencies.ts';
export type {
  Decisions,
  PreviousTask,
  Readiness,
  Settlement,
  TaskEnd,
  UpstreamCounts,
  UpstreamDelta,
  WaitingTask,
} from './dependencies.ts';
export { backfillOutcome, outcomeOfStates, runOutcome } from './run-outcome.ts';
export type { StateCount, TaskStateCount } from './run-outcome.ts';
export { RUN_PRIORITY, runsToStart } from './run-admission.ts';
export type { QueuedRun, RunningCounts } from './run-admission.ts';
export {
  dueIntervals,
  fireTimes,
  MAX_DUE_PER_LOOP,
  nextScheduledRun,
  planBackfill,
  REPROCESS,
} from './schedule-walk.ts';
export type { PlannedRun, Reprocess } from './schedule-walk.ts';
export { countsAfterClear, tasksToClear } from './clear.ts';
export { notDownstream, skippedBy } from './branching.ts';
export { markRun, markTask } from './mark.ts';
export type { MarkState } from './mark.ts';
export type { ClearOptions } from './clear.ts';
export { admitToPools, fullPools } from './pool-admission.ts';
export type { PoolCandidate, PoolProblem, PoolRoom } from './pool-admission.ts';
export {
  groupRanges,
  intervalsPerRunColumn,
  intervalsPerRunOf,
  parseIntervalsPerRun,
  retriesInRun,
  splitRange,
} from './range-runs.ts';
export type { IntervalsPerRun, PlannedRange } from './range-runs.ts';
