/**
 * What the long-running commands share: the metadata DB (migrated), the DAG folder (loaded and
 * synced into the DB, as every process does at start), and connections per DAG.
 */
import { loadConfig, type DownbeatConfig } from '../config/index.ts';
import { Connections, storedConnections } from '../connections/index.ts';
import type { Dag } from '../dag/index.ts';
import type { DagFolder } from '../loader/index.ts';
import { migrate, openDb, type Db } from '../store/db/index.ts';
import { syncDags } from '../store/runs/index.ts';
import { loadDags, type CliIo } from './context.ts';

export interface Runtime {
  readonly config: DownbeatConfig;
  readonly db: Db;
  readonly folder: DagFolder;
  connectionsFor(dag: Dag): Connections;
  close(): Promise<void>;
}

export async function openRuntime(io: CliIo): Promise<Runtime> {
  const config = loadConfig(io.env);
  const db = openDb(config.databaseUrl, config.home);
  try {
    await migrate(db);
    const folder = await loadDags(io, config);
    await syncDags(db, folder, Date.now());
    const stored = await storedConnections(db, config);
    const connections = new Map<string, Connections>();
    return {
      config,
      db,
      folder,
      connectionsFor(dag) {
        let c = connections.get(dag.id);
        if (!c) {
          c = new Connections(config, dag.connectionDefaults, stored);
          connections.set(dag.id, c);
        }
        return c;
      },
      async close() {
        await Promise.all([...connections.values()].map((c) => c.close()));
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
