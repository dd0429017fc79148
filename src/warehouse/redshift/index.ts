export { RedshiftWarehouse } from './redshift-warehouse.ts';
export type { RedshiftOpenOptions, RedshiftWarehouseOptions } from './redshift-warehouse.ts';
export { parseRedshiftUri } from './redshift-uri.ts';
export type { RedshiftSettings } from './redshift-uri.ts';
export { COPY_FILES_PREFIX } from './copy-object.ts';
