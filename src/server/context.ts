import type { Dag } from '../dag/index.ts';
import type { Role } from '../store/admin/index.ts';
import type { Warehouse, WarehouseExplorer } from '../ports/index.ts';
import type { Db } from '../store/db/index.ts';
import type { Connection } from './api/types.ts';

/** Stored connections as the API manages them; URIs shown only masked. */
export interface ConnectionAdmin {
  list(): Promise<Connection[]>;
  add(id: string, uri: string): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/**
 * The warehouse as the server reads it: the explorer's reads (a caller's query goes only through
 * readOnlyQuery), and `query` and `tableColumns` for the server's own fixed reads of the staging
 * bookkeeping (a run's rejects and ledger).
 */
export type ServedWarehouse = WarehouseExplorer & Pick<Warehouse, 'query' | 'tableColumns'>;

/** The warehouse the explorer reads, as the serving process holds or opens it. */
export interface WarehouseSource {
  /** The connection's id, named when the warehouse cannot be reached. */
  readonly connectionId: string;
  /** A query is cancelled past this. */
  readonly queryTimeoutMs: number;
  /**
   * Runs `work` on the warehouse, opened for it if need be (and a DuckDB file let go of after);
   * throws WarehouseUnavailableError when it cannot be opened.
   */
  use<T>(work: (warehouse: ServedWarehouse) => Promise<T>): Promise<T>;
}

/** What the routes need from the process that serves them. */
export interface ServerContext {
  readonly db: Db;
  /** The DAGs of this process's folder: triggers and backfills need their schedules. */
  readonly dags: ReadonlyMap<string, Dag>;
  readonly connections: ConnectionAdmin;
  readonly now: () => number;
  /** The webserver's own log (errors that are not the caller's). */
  readonly log: (line: string) => void;
  /** The built web UI (web/dist); the UI routes answer 503 with a hint when it is missing. */
  readonly webRoot?: string;
  /** The explorer's warehouse. @default none: the explorer's routes answer 503 */
  readonly warehouse?: WarehouseSource;
  /** How long /metrics keeps what it counts over all history (ended runs and tasks, try durations). @default 30000 */
  readonly metricsCacheMs?: number;
}

/** Who made the request, and how: a browser session must also send its CSRF token to change things. */
export interface AuthUser {
  readonly username: string;
  readonly via: 'session' | 'basic' | 'bearer';
  readonly csrfToken: string | null;
  /** What this request may do: the user's role, or a token's lower one. */
  readonly role: Role;
}

export interface AppEnv {
  Variables: { user: AuthUser };
}
