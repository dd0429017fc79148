/**
 * The metadata DB: DAGs, runs, task instances with every try and its log, backfills, checks.
 * One schema in two dialects (SQLite, PostgreSQL), versioned migrations, one query per function.
 */
export type { Db, DbRow, DbSession, DbValue, MetadataDialect } from './db.ts';
export { openDb } from './open-db.ts';
export { migrate, migrations } from './migrate.ts';
export { getDagRow, setPaused, syncDags } from './dags.ts';
export type { DagRow } from './dags.ts';
export { completeRunIfDone, createRun, getRun, PRIORITY, startQueuedRuns } from './runs.ts';
export type { RunRow, RunState } from './runs.ts';
export { appendLog, claimTasks, endTry, heartbeat, requeueZombies } from './queue.ts';
export type { ClaimedTask, TryEnd, TryEndResult } from './queue.ts';
export { clearInTransaction, clearTasks } from './clear.ts';
export {
  backfillProgress,
  cancelBackfill,
  createBackfill,
  finishBackfills,
  planBackfill,
} from './backfills.ts';
export type { BackfillProgress, BackfillRequest, PlannedRun, Reprocess } from './backfills.ts';
export { alive, beat, forget } from './processes.ts';
export type { ProcessKind } from './processes.ts';
export { QueueListener } from './postgres/queue-listener.ts';
export { deleteVariable, getVariable, listVariables, setVariable, variableReader } from './variables.ts';
export { deleteConnection, listConnections, putConnection } from './connections.ts';
export {
  checkCountsOf,
  checksOfRun,
  countRuns,
  findBackfill,
  findRun,
  findTaskInstance,
  importErrors,
  latestScheduledRun,
  listBackfills,
  listDagRows,
  listRuns,
  logLines,
  outcomesOf,
  recentRunStates,
  runWindow,
  taskInstancesOf,
  triesOf,
} from './history.ts';
export type { BackfillRow, CheckRow, RunFilter, TaskInstanceRow, TryRow } from './history.ts';
export {
  countUsers,
  createToken,
  createUser,
  deleteExpiredTokens,
  deleteToken,
  findToken,
  passwordHashOf,
} from './users.ts';
export type { TokenRow } from './users.ts';
export { countOldLogLines, countOldRuns, deleteOldLogLines, deleteOldRuns } from './retention.ts';
export type { LogCleaning } from './retention.ts';
export { liveProcesses, queueDepth, runsByState, taskInstancesByState, tryDurations } from './metrics.ts';
