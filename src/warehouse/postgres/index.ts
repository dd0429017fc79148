export { PostgresWarehouse } from './postgres-warehouse.ts';
