/**
 * The web server as processes, tests and benches start it: on a metadata DB and a map of DAGs,
 * with the built UI, and the first user made when there is none.
 */
import type { Dag } from '../dag/index.ts';
import {
  addUser as addCheckedUser,
  connectionAdmin,
  ensureFirstUser,
  ensureWebBuild,
  prometheusMetrics,
  startWebServer,
  WEB_DIST,
  type ConnectionAdmin,
  type ServerContext,
  type WarehouseSource,
} from '../server/index.ts';
import type { Role } from '../store/admin/index.ts';
import type { Db } from '../store/db/index.ts';
import type { Runtime } from './runtime.ts';
import { warehouseSource, type WarehouseAccess } from './warehouse-source.ts';

export { WEB_DIST };

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly db: Db;
  readonly dags: ReadonlyMap<string, Dag>;
  /** 0 picks a free port. @default 8080 */
  readonly port?: number;
  /** Stored connections as the API manages them. @default none, and none may be added */
  readonly connections?: ConnectionAdmin;
  /** The built web UI. @default none: the UI routes answer 503, the API serves */
  readonly webRoot?: string;
  /** @default ignored */
  readonly log?: (line: string) => void;
  readonly metricsCacheMs?: number;
  /** The warehouse the explorer reads. @default none: the explorer answers 503 */
  readonly warehouse?: WarehouseSource;
}

const NO_CONNECTIONS: ConnectionAdmin = {
  list: () => Promise.resolve([]),
  add: () => Promise.reject(new Error('this server keeps no connections')),
  delete: () => Promise.resolve(false),
};

function contextOf(options: ServeOptions): ServerContext {
  return {
    db: options.db,
    dags: options.dags,
    connections: options.connections ?? NO_CONNECTIONS,
    now: Date.now,
    log: options.log ?? (() => undefined),
    webRoot: options.webRoot,
    metricsCacheMs: options.metricsCacheMs,
    warehouse: options.warehouse,
  };
}

/** Serves the API, UI, /metrics and /health on 127.0.0.1 until `close()`. */
export function serve(options: ServeOptions): Promise<WebServer> {
  return startWebServer(contextOf(options), { port: options.port });
}

/** The Prometheus text that /metrics answers, counted afresh (no cache). */
export function metricsText(options: ServeOptions): Promise<string> {
  return prometheusMetrics(contextOf(options));
}

/** Adds a user who logs in with `password`, an admin unless `role` says otherwise. */
export async function addUser(
  db: Db,
  username: string,
  password: string,
  now: number,
  role: Role = 'admin',
): Promise<void> {
  await addCheckedUser(db, { username, password, role }, now);
}

/**
 * The HTTP server of `standalone` and `webserver`: makes the first user when there is none (its
 * login printed once), builds the web UI when its build is stale, and serves. The explorer opens
 * the warehouse as `warehouse` says: `shared` in the process that runs the tasks, else `read-only`.
 */
export async function serveRuntime(
  runtime: Runtime,
  options: {
    readonly port: number;
    readonly print: (line: string) => void;
    readonly warn: (line: string) => void;
    readonly warehouse: WarehouseAccess;
  },
): Promise<WebServer> {
  await ensureFirstUser(runtime.db, runtime.config.env, options.print, Date.now());
  let webRoot: string | undefined;
  try {
    webRoot = await ensureWebBuild(options.print);
  } catch (error) {
    options.warn(`the web UI could not be built (the API still serves): ${(error as Error).message}`);
  }
  const warehouse = warehouseSource({
    config: runtime.config,
    db: runtime.db,
    access: options.warehouse,
    queryTimeoutMs: runtime.config.warehouseQueryTimeoutMs,
  });
  const server = await serve({
    db: runtime.db,
    dags: runtime.folder.dags,
    port: options.port,
    connections: connectionAdmin(runtime.db, runtime.config, Date.now),
    webRoot,
    log: options.warn,
    metricsCacheMs: runtime.config.metricsCacheMs,
    warehouse,
  }).catch(async (error: Error) => {
    await warehouse.close();
    throw error;
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      await warehouse.close();
    },
  };
}
