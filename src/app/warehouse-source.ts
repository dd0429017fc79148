/**
 * The warehouse the explorer reads (connection `warehouse`), as the serving process opens it:
 * lazily, at the explorer's first use, so that a server starts whatever the warehouse's state. A
 * DuckDB file is opened for each request and let go of after it, so that another process (a
 * backfill) can write it in between; a server warehouse stays connected until the server stops.
 */
import type { DownbeatConfig } from '../config/index.ts';
import { Connections, storedConnections } from '../connections/index.ts';
import { WarehouseUnavailableError, type Warehouse } from '../ports/index.ts';
import type { WarehouseSource } from '../server/index.ts';
import type { Db } from '../store/db/index.ts';

/**
 * `shared`: the process that runs the tasks (standalone) opens the file as its tasks do, and shares
 * their DuckDB instance. `read-only`: a process that never writes (webserver) opens it read-only.
 */
export type WarehouseAccess = 'shared' | 'read-only';

export interface WarehouseSourceOptions {
  readonly config: DownbeatConfig;
  readonly db: Db;
  readonly access: WarehouseAccess;
  /** @default 30000 */
  readonly queryTimeoutMs?: number;
}

const CONNECTION = 'warehouse';

export function warehouseSource(
  options: WarehouseSourceOptions,
): WarehouseSource & { close(): Promise<void> } {
  let held: { uri: string; warehouse: Promise<Warehouse> } | undefined;

  async function open(uri: string): Promise<Warehouse> {
    const { openWarehouse } = await import('../warehouse/index.ts');
    try {
      return await openWarehouse(uri, { readOnly: options.access === 'read-only', mustExist: true });
    } catch (error) {
      if (error instanceof WarehouseUnavailableError) throw error;
      throw new WarehouseUnavailableError((error as Error).message, { cause: error });
    }
  }

  async function release(): Promise<void> {
    const previous = held;
    held = undefined;
    await (await previous?.warehouse.catch(() => undefined))?.close();
  }

  return {
    connectionId: CONNECTION,
    queryTimeoutMs: options.queryTimeoutMs ?? 30_000,
    async use(work) {
      // Read each time: a `warehouse` connection added meanwhile is the one read.
      const connections = new Connections(
        options.config,
        {},
        await storedConnections(options.db, options.config),
      );
      const uri = connections.uri(CONNECTION);
      if (uri.startsWith('duckdb:')) {
        const warehouse = await open(uri);
        try {
          return await work(warehouse);
        } finally {
          await warehouse.close();
        }
      }
      if (held?.uri !== uri) {
        await release();
        const entry = { uri, warehouse: open(uri) };
        // A failed open is not kept: the next request tries again.
        entry.warehouse.catch(() => (held = held === entry ? undefined : held));
        held = entry;
      }
      return work(await held.warehouse);
    },
    close: release,
  };
}
