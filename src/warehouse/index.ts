import { resolve } from 'node:path';
import { ConfigError } from '../errors/index.ts';
import type { Warehouse } from '../ports/index.ts';
import { DuckDbWarehouse } from './duckdb/index.ts';
import { PostgresWarehouse } from './postgres/index.ts';
import { RedshiftWarehouse, type RedshiftOpenOptions } from './redshift/index.ts';

export { DuckDbWarehouse } from './duckdb/index.ts';
export { PostgresWarehouse } from './postgres/index.ts';
export { RedshiftWarehouse } from './redshift/index.ts';

export { listWarehouseTables } from './warehouse-tables.ts';

export interface OpenWarehouseOptions extends RedshiftOpenOptions {
  /** DuckDB: open the file read-only (a process that never writes it). @default false */
  readonly readOnly?: boolean;
  /** DuckDB: fail with WarehouseUnavailableError when the file does not exist, not make it. @default false */
  readonly mustExist?: boolean;
}

/**
 * Opens the warehouse a connection URI names: `duckdb:///path/file.duckdb` (with `?threads=N` and
 * `?memory_limit=1GB` for DuckDB's own settings), `duckdb://:memory:`,
 * `postgres://…` or `redshift://…` (which may read other connections: its COPY's AWS keys).
 */
export async function openWarehouse(uri: string, options: OpenWarehouseOptions = {}): Promise<Warehouse> {
  const match = /^duckdb:(?:\/\/)?([^?]*)(?:\?(.*))?$/.exec(uri);
  if (match) {
    const path = match[1] ?? '';
    const settings = duckDbSettings(uri, new URLSearchParams(match[2] ?? ''));
    if (path === '')
      throw new ConfigError(
        `warehouse URI "${uri}" names no file (use duckdb:///path/file.duckdb or postgres://…)`,
      );
    return await DuckDbWarehouse.open({
      path: path === ':memory:' ? path : resolve(decodeURIComponent(path)),
      ...settings,
      readOnly: options.readOnly,
      mustExist: options.mustExist,
    });
  }
  if (/^postgres(ql)?:\/\//.test(uri)) return new PostgresWarehouse(uri);
  if (uri.startsWith('redshift://')) return RedshiftWarehouse.fromUri(uri, options);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
  throw new ConfigError(
    `warehouse scheme "${scheme ?? uri}" is not supported (use duckdb:///path/file.duckdb, postgres://… or redshift://…)`,
  );
}

/** DuckDB's settings from a `duckdb://` URI's query. */
function duckDbSettings(
  uri: string,
  query: URLSearchParams,
): { threads?: number; memoryLimit?: string; checkpointThreshold?: string } {
  const settings: { threads?: number; memoryLimit?: string; checkpointThreshold?: string } = {};
  const size = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
  for (const [name, value] of query) {
    if (name === 'threads' && /^[1-9]\d{0,3}$/.test(value)) settings.threads = Number(value);
    else if (name === 'memory_limit' && size.test(value)) settings.memoryLimit = value;
    else if (name === 'checkpoint_threshold' && size.test(value)) settings.checkpointThreshold = value;
    else
      throw new ConfigError(
        `warehouse URI "${uri.replace(/\?.*$/, '')}": ${name}=${value} is not a DuckDB setting it takes ` +
          '(threads=N, memory_limit=1GB, checkpoint_threshold=256MB)',
      );
  }
  return settings;
}
