/**
 * What the long-running processes share: the metadata DB (migrated), the DAG folder (loaded and
 * synced into the DB, as every process does at start, and again when a file changes), and
 * connections per DAG.
 */
import { loadConfig, type DownbeatConfig } from '../config/index.ts';
import { Connections, storedConnections } from '../connections/index.ts';
import type { Dag } from '../dag/index.ts';
import {
  folderChanges,
  keepLastGood,
  loadDagFolder,
  type DagFolder,
  type DagLoadError,
} from '../loader/index.ts';
import type { Db } from '../store/db/index.ts';
import { specAndVersion, syncDags } from '../store/runs/index.ts';
import { openMetadata } from './metadata.ts';

export interface Runtime {
  readonly config: DownbeatConfig;
  readonly db: Db;
  /**
   * The DAGs folder as last loaded. Its maps are the same objects for the runtime's life, filled
   * anew by `reloadDags`, so that the scheduler, workers and server given them see every reload.
   */
  readonly folder: DagFolder;
  connectionsFor(dag: Dag): Connections;
  /** Loads the DAGs folder again (a file changed), keeping a failing file's last good DAGs, and syncs it. */
  reloadDags(): Promise<DagReloadSummary>;
  close(): Promise<void>;
}

export interface DagReloadSummary {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly errors: readonly DagLoadError[];
}

export interface RuntimeOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Told of each DAG file that failed to load (the other DAGs still load). @default ignored */
  readonly warn?: (line: string) => void;
}

interface LiveFolder {
  readonly dags: Map<string, Dag>;
  readonly files: Map<string, string>;
  readonly errors: DagLoadError[];
}

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const config = loadConfig(options.env);
  const warn = options.warn ?? (() => undefined);
  const db = await openMetadata(config);
  try {
    const loaded = await loadDagFolder(config.dagsFolder);
    for (const error of loaded.errors) warn(`warning: ${error.file} failed to load: ${error.message}`);
    const folder: LiveFolder = {
      dags: new Map(loaded.dags),
      files: new Map(loaded.files),
      errors: [...loaded.errors],
    };
    await syncDags(db, folder, Date.now());
    const stored = await storedConnections(db, config);
    const connections = new Map<string, Connections>();
    let generation = 0;
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
      async reloadDags() {
        generation += 1;
        const next = keepLastGood(folder, await loadDagFolder(config.dagsFolder, generation));
        const changes = folderChanges(folder, next, (dag) => specAndVersion(dag).version);
        replace(folder, next);
        await syncDags(db, folder, Date.now());
        return { ...changes, errors: folder.errors };
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

/** Fills the live folder's maps with `next`'s, in place. */
function replace(folder: LiveFolder, next: DagFolder): void {
  folder.dags.clear();
  for (const [id, dag] of next.dags) folder.dags.set(id, dag);
  folder.files.clear();
  for (const [id, file] of next.files) folder.files.set(id, file);
  folder.errors.splice(0, folder.errors.length, ...next.errors);
}
