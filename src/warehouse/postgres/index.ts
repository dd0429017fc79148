export { PostgresWarehouse } from './postgres-warehouse.ts';
export type { PostgresWarehouseOptions } from './postgres-warehouse.ts';
export { positional, runStatement } from './pg-statements.ts';
export type { Queryable } from './pg-statements.ts';
export type { PostgresExplorerChecks } from './read-only-query.ts';
