export { DuckDbWarehouse } from './duckdb-warehouse.ts';
export type { DuckDbWarehouseOptions } from './duckdb-warehouse.ts';
