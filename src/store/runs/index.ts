/**
 * Runs as the engine writes them: DAGs synced from the folder, runs created and started (within
 * max_active_runs), their task instances made ready as upstream tasks end, runs completed and
 * cleared, and backfills. The rules each step follows are src/lifecycle/'s.
 */
export { getDagRow, setPaused, syncDags } from './dags.ts';
export { specAndVersion } from './dag-version.ts';
export type { DagRow } from './dags.ts';
export { createRun } from './create-run.ts';
export { startQueuedRuns } from './start-runs.ts';
export { completeRunIfDone, lockRun } from './complete-run.ts';
export { countEnds, decideWaiting, releaseHeldTasks, runGraph, skipTasks } from './propagate.ts';
export type { Propagated } from './propagate.ts';
export { getRun } from './run-row.ts';
export type { ReadRunRow, RunRow } from './run-row.ts';
export { ownTasks } from './range-runs.ts';
export { clearAcrossRuns, clearInTransaction, clearTasks } from './clear.ts';
export type { ClearAcross } from './clear.ts';
export { markDagRun, markTaskInstance } from './mark.ts';
export type { MarkResult } from './mark.ts';
export { cancelBackfill, createBackfill, finishBackfills, planBackfill } from './backfills.ts';
export type { BackfillRequest } from './backfills.ts';
export { decideDeadlines } from './deadlines.ts';
export type { MissedRun } from './deadlines.ts';
export { markStale, staleLogicalDates, staleObjectsOf, succeededRuns } from './stale-runs.ts';
export type { ChangedObject, SucceededRun } from './stale-runs.ts';
