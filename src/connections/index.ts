import { join } from 'node:path';
import type { DownbeatConfig } from '../config/index.ts';
import type { ConnectionResolver } from '../dag/index.ts';
import { DownbeatError } from '../errors/index.ts';
import type { ObjectStore, Warehouse } from '../ports/index.ts';
import { parseAwsKeys } from './aws-keys.ts';
import { registerUriSecrets } from './redact.ts';

export { parseAwsKeys } from './aws-keys.ts';
export type { AwsKeys } from './aws-keys.ts';

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
 *
 * Airflow's ids from the Sparkify brief work as its users expect: `warehouse`, when not defined
 * itself, is the `redshift` connection if that one is; `aws_credentials` (login = access key id,
 * password = secret) gives Redshift's COPY its keys and an s3:// store without keys its keys.
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
    const defined =
      this.#defined(connectionId) ?? (connectionId === 'warehouse' ? this.#defined('redshift') : undefined);
    if (defined) return defined;
    const fallback =
      this.#defaults[connectionId] ??
      (connectionId === 'warehouse' ? `duckdb://${join(this.#config.home, 'warehouse.duckdb')}` : undefined);
    if (!fallback) throw new UnknownConnectionError(connectionId);
    return fallback.replaceAll('${DOWNBEAT_HOME}', this.#config.home);
  }

  /** The URI of a connection set in the environment or the metadata DB; undefined when neither. */
  #defined(connectionId: string): string | undefined {
    return this.#config.env[envName(connectionId)] || this.#stored.get(connectionId)?.();
  }

  /** A defined connection's URI, its secrets registered for masking; undefined when not defined. */
  #definedUri(connectionId: string): string | undefined {
    const uri = this.#defined(connectionId);
    if (uri) registerUriSecrets(uri);
    return uri;
  }

  objectStore(connectionId: string): Promise<ObjectStore> {
    // The adapters load when first used: a command that opens none (--help, dags list) is quick.
    return cached(this.#stores, connectionId, async () => {
      const { openObjectStore } = await import('../storage/index.ts');
      return openObjectStore(this.#withAwsKeys(this.uri(connectionId)));
    });
  }

  warehouse(connectionId: string): Promise<Warehouse> {
    return cached(this.#warehouses, connectionId, async () => {
      const { openWarehouse } = await import('../warehouse/index.ts');
      return openWarehouse(this.uri(connectionId), { connectionUri: (id) => this.#definedUri(id) });
    });
  }

  #withAwsKeys(uri: string): string {
    if (!uri.startsWith('s3://')) return uri;
    const aws = this.#definedUri('aws_credentials');
    return aws ? s3UriWithAwsKeys(uri, aws) : uri;
  }

  async close(): Promise<void> {
    const open = [...this.#stores.values(), ...this.#warehouses.values()];
    this.#stores.clear();
    this.#warehouses.clear();
    await Promise.all(open.map(async (adapter) => (await adapter.catch(() => undefined))?.close()));
  }
}

/**
 * An AWS S3 URI without keys, given the keys of `aws_credentials` (and its region when the URI
 * names none); otherwise the S3 client's own chain (environment, instance role) applies. Not for
 * other S3 servers (`endpoint=`), nor temporary keys (a session token the store cannot take).
 */
export function s3UriWithAwsKeys(uri: string, awsUri: string): string {
  const url = new URL(uri);
  if (url.searchParams.has('access_key_id') || url.searchParams.has('endpoint')) return uri;
  const keys = parseAwsKeys(awsUri, 'aws_credentials');
  if (keys.sessionToken) return uri;
  url.searchParams.set('access_key_id', keys.accessKeyId);
  url.searchParams.set('secret_access_key', keys.secretAccessKey);
  if (keys.region && !url.searchParams.has('region')) url.searchParams.set('region', keys.region);
  return url.toString();
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
