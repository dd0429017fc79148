/**
 * The ports: what operators and the engine need from the outside world, and nothing about how
 * an adapter provides it. Each port has one contract suite (`*-contract.ts`) every adapter runs.
 */
export { assertSafeKey, InvalidKeyError, ObjectKeyNotFoundError } from './object-store.ts';
export type { ObjectBody, ObjectInfo, ObjectStore } from './object-store.ts';
export { quoteIdentifier, WarehouseBusyError, WarehouseError } from './warehouse.ts';
export type {
  BulkRow,
  CopyValueType,
  ObjectCopyRequest,
  ObjectCopyOutcome,
  ObjectCopyResult,
  PreparedCopy,
  SqlParams,
  SqlResultValue,
  SqlRow,
  SqlSession,
  SqlValue,
  Warehouse,
  WarehouseDialect,
} from './warehouse.ts';
export {
  QueryRefusedError,
  QueryTimeoutError,
  quoteName,
  tablePageSql,
  WarehouseUnavailableError,
} from './warehouse-explorer.ts';
export type {
  JsonCell,
  ReadOnlyQueryOptions,
  ReadOnlyResult,
  WarehouseExplorer,
  WarehouseTable,
} from './warehouse-explorer.ts';
