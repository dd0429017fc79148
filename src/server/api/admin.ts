import type { AuditAction } from '../../store/admin/audit-actions.ts';

export type { AuditAction };

/**
 * The API's shapes of connections, users and the session, as types.ts has the rest.
 */

export interface Connection {
  readonly connection_id: string;
  /** The URI with its secrets replaced by `***`. */
  readonly uri: string;
  /** Where it comes from: stored in the metadata DB, or a DOWNBEAT_CONN_ environment variable. */
  readonly source: 'stored' | 'environment';
}

/** POST /connections */
export interface ConnectionBody {
  readonly connection_id: string;
  readonly uri: string;
}

/** What a user may do (DESIGN §2): viewer reads, op also runs things, admin also administers. */
export type Role = 'viewer' | 'op' | 'admin';

/** GET /auth/session: who is logged in, their role, and the CSRF token the UI sends back on every change. */
export interface Session {
  readonly username: string;
  /** The session's role (a token's may be lower than its user's). */
  readonly role: Role;
  readonly csrf_token: string;
}

/** GET /users (admin): a user, never their password. */
export interface User {
  readonly username: string;
  readonly role: Role;
  readonly created_at: string;
}

/** POST /users */
export interface UserBody {
  readonly username: string;
  readonly role: Role;
  readonly password: string;
}

/** GET /health (no login needed). */
export interface Health {
  readonly status: 'ok';
  readonly scheduler: { readonly alive: boolean; readonly last_heartbeat: string | null };
}

/** GET /eventLogs (admin): one row of the audit log. */
export interface EventLog {
  readonly when: string;
  readonly username: string;
  /** The caller's IP address, or `cli` for a change made with the `downbeat` command. */
  readonly address: string;
  readonly action: AuditAction;
  /** What it acted on: a DAG, `dag/run`, `dag/run/task`, `dag/backfills/id`, a pool, connection or user. */
  readonly object: string;
  /** The request's fields, secrets masked (`***`). */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** GET /eventLogs: newest first. */
export interface EventLogs {
  readonly items: readonly EventLog[];
}
