import { join } from 'node:path';
import type { DownbeatConfig } from '../config/index.ts';
import type { ConnectionResolver } from '../dag/index.ts';
import { DownbeatError } from '../errors/index.ts';
import type { ObjectStore, Warehouse } from '../ports/index.ts';
import { openObjectStore } from '../storage/index.ts';
import { openWarehouse } from '../warehouse/index.ts';
import { registerUriSecrets } from './redact.ts';

export class UnknownConnectionError extends DownbeatError {
  readonly connectionId: string;

  constructor(connectionId: string) {
    super(
      'unknown_connection',
      `connection "${connectionId}" is not defined: set ${envName(connectionId)} to its URI ` +
        `(e.g. file:///data/sparkify or duckdb:///var/lib/warehouse.duckdb), or run downbeat connections add ${connectionId} --uri URI`,
    );
    this.connectionId = connectionId;
  }
}

/** The variable that defines a connection, like Airflow's AIRFLOW_CONN_<ID>. */
export function envName(connectionId: string): string {
  return `DOWNBEAT_CONN_${connectionId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Resolves connection ids to open adapters, once each per process, in this order: the
 * environment (`DOWNBEAT_CONN_<ID>`), then the connections kept in the metadata DB, then the DAG's
 * defaults, then the built-in `warehouse` (a DuckDB file under DOWNBEAT_HOME).
 */
export class Connections implements ConnectionResolver {
  readonly #config: DownbeatConfig;
  readonly #defaults: Readonly<Record<string, string>>;
  readonly #stored: ReadonlyMap<string, () => string>;
  readonly #stores = new Map<string, Promise<ObjectStore>>();
  readonly #warehouses = new Map<string, Promise<Warehouse>>();

  /** `stored`: connections kept in the metadata DB, decrypted when first used. */
  constructor(
    config: DownbeatConfig,
    defaults: Readonly<Record<string, string>> = {},
    stored: ReadonlyMap<string, () => string> = new Map(),
  ) {
    this.#config = config;
    this.#defaults = defaults;
    this.#stored = stored;
  }

  /** The URI a connection id resolves to. */
  uri(connectionId: string): string {
    const uri = this.#resolve(connectionId);
    registerUriSecrets(uri);
    return uri;
  }

  #resolve(connectionId: string): string {
    const fromEnv = this.#config.env[envName(connectionId)];
    if (fromEnv) return fromEnv;
    const stored = this.#stored.get(connectionId);
    if (stored) return stored();
    const fallback =
      this.#defaults[connectionId] ??
      (connectionId === 'warehouse' ? `duckdb://${join(this.#config.home, 'warehouse.duckdb')}` : undefined);
    if (!fallback) throw new UnknownConnectionError(connectionId);
    return fallback.replaceAll('${DOWNBEAT_HOME}', this.#config.home);
  }

  objectStore(connectionId: string): Promise<ObjectStore> {
    return cached(this.#stores, connectionId, () => openObjectStore(this.uri(connectionId)));
  }

  warehouse(connectionId: string): Promise<Warehouse> {
    return cached(this.#warehouses, connectionId, () => openWarehouse(this.uri(connectionId)));
  }

  async close(): Promise<void> {
    const open = [...this.#stores.values(), ...this.#warehouses.values()];
    this.#stores.clear();
    this.#warehouses.clear();
    await Promise.all(open.map(async (adapter) => (await adapter.catch(() => undefined))?.close()));
  }
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, open: () => Promise<T>): Promise<T> {
  let adapter = cache.get(key);
  if (!adapter) {
    adapter = Promise.resolve().then(open);
    // A failed open is not kept: the next task tries again.
    adapter.catch(() => cache.delete(key));
    cache.set(key, adapter);
  }
  return adapter;
}

export { maskUri, SecretBox } from './secret-box.ts';
export { storedConnections } from './stored.ts';
export { redact, registerSecret, registerUriSecrets } from './redact.ts';
