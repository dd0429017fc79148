/**
 * What the API, the UI, the CLI and /metrics read about past and present work: DAGs, runs, task
 * instances, tries, logs, checks, backfills and counts. Every list is bounded (a page or a
 * window), so its cost does not grow with history.
 */
export {
  countRuns,
  findRun,
  latestScheduledRun,
  listRuns,
  recentRunStates,
  runStates,
  runWindow,
} from './runs.ts';
export type { RunFilter } from './runs.ts';
export {
  findTaskInstance,
  logLines,
  outcomesOf,
  taskInstancesOf,
  triesOf,
  upstreamOutputs,
} from './task-instances.ts';
export type { TaskInstanceRow, TryRow } from './task-instances.ts';
export { checkCountsOf, checksOfRun } from './checks.ts';
export type { CheckRow } from './checks.ts';
export {
  backfillProgress,
  findBackfill,
  importErrors,
  listBackfills,
  listDagRows,
} from './dags-and-backfills.ts';
export type { BackfillProgress, BackfillRow } from './dags-and-backfills.ts';
export {
  deadlineMisses,
  liveProcesses,
  queueDepth,
  runsByState,
  taskInstancesByState,
  tryDurations,
} from './metrics.ts';
export type { DagRow, RunRow } from '../runs/index.ts';
