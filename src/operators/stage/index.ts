export { stageJson } from './stage-json.ts';
export type { CatalogObjects, IntervalObjects, StageJsonOptions, StageWait } from './stage-json-options.ts';
export type { ColumnType, StagingColumn } from './columns.ts';
export { readJsonRecords } from './json-records.ts';
export type { JsonFraming } from './json-records.ts';
export type { JsonRecord } from './json-record.ts';
export { intervalKeys } from './interval-keys.ts';
export { runLedger, runRejects } from './run-ledger.ts';
export type { BookkeepingReader, LedgerFigures, RunObjectScope, RunReject } from './run-ledger.ts';
