/**
 * What the long-running processes share: the metadata DB (migrated), the DAG folder (loaded and
 * synced into the DB, as every process does at start), and connections per DAG.
 */
import { loadConfig, type DownbeatConfig } from '../config/index.ts';
import { Connections, storedConnections } from '../connections/index.ts';
import type { Dag } from '../dag/index.ts';
import { loadDagFolder, type DagFolder } from '../loader/index.ts';
import type { Db } from '../store/db/index.ts';
import { syncDags } from '../store/runs/index.ts';
import { openMetadata } from './metadata.ts';

export interface Runtime {
  readonly config: DownbeatConfig;
  readonly db: Db;
  readonly folder: DagFolder;
  connectionsFor(dag: Dag): Connections;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Told of each DAG file that failed to load (the other DAGs still load). @default ignored */
  readonly warn?: (line: string) => void;
}

/** Loads the DAG folder, telling `warn` of each file that failed; the other DAGs still load. */
export async function loadDags(config: DownbeatConfig, warn: (line: string) => void = () => undefined) {
  const folder = await loadDagFolder(config.dagsFolder);
  for (const error of folder.errors) warn(`warning: ${error.file} failed to load: ${error.message}`);
  return folder;
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const config = loadConfig(options.env);
  const db = await openMetadata(config);
  try {
    const folder = await loadDags(config, options.warn);
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
