import type { Dag } from '../dag/index.ts';
import type { Db } from '../store/db/index.ts';
import type { Connection } from './api/types.ts';

/** Stored connections as the API manages them; URIs shown only masked. */
export interface ConnectionAdmin {
  list(): Promise<Connection[]>;
  add(id: string, uri: string): Promise<void>;
  delete(id: string): Promise<boolean>;
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
  /** How long /metrics keeps what it counts over all history (ended runs and tasks, try durations). @default 30000 */
  readonly metricsCacheMs?: number;
}

/** Who made the request, and how: a browser session must also send its CSRF token to change things. */
export interface AuthUser {
  readonly username: string;
  readonly via: 'session' | 'basic' | 'bearer';
  readonly csrfToken: string | null;
}

export interface AppEnv {
  Variables: { user: AuthUser };
}
