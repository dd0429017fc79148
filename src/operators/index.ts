/** The operators: reusable kinds of task. They reach data only through the context's ports. */
export { branch, shortCircuit } from './branch.ts';
export { fn } from './fn.ts';
export type { FnOptions } from './fn.ts';
export { noop } from './noop.ts';
export { sql } from './sql.ts';
export type { SqlOptions } from './sql.ts';
export { stageJson } from './stage/index.ts';
export type {
  CatalogObjects,
  ColumnType,
  IntervalObjects,
  StageJsonOptions,
  StageWait,
  StagingColumn,
} from './stage/index.ts';
export { loadFact } from './load-fact.ts';
export type { LoadFactOptions } from './load-fact.ts';
export { loadDimension } from './load-dimension.ts';
export type { LoadDimensionOptions } from './load-dimension.ts';
export { checks, dataQuality } from './data-quality.ts';
export type { DataQualityCheck, DataQualityOptions } from './data-quality.ts';
export { runParams, sqlTimestamp } from './run-params.ts';
export { sensorOperator, waitForObjects, waitForRun } from './sensors/index.ts';
export type { Poke, SensorOptions, WaitForObjectsOptions, WaitForRunOptions } from './sensors/index.ts';
export { intervalObjectsOf, intervalStagesOf, reconciliationsOf, stageKeysIn } from './ledger-spec.ts';
export type { IntervalStage } from './ledger-spec.ts';
export { pinnedObjects, runLedger, runRejects } from './stage/index.ts';
export type { BookkeepingReader, LedgerFigures, RunObjectScope, RunReject } from './stage/index.ts';
