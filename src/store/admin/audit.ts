import type { DbSession } from '../db/index.ts';
import { DownbeatError } from '../../errors/index.ts';
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions.ts';
import { maskedFieldsJson } from './audit-mask.ts';

/**
 * The audit log (DESIGN §8): one row per change made through the API, the UI or the CLI, and per
 * login and failed login. Fields are masked here, on the way in, so that no caller can store a
 * secret by forgetting to.
 */

export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions.ts';

/** What a change was; `address` is the caller's IP address, or `cli`. */
export interface AuditEntry {
  readonly at: number;
  readonly username: string;
  readonly address: string;
  readonly action: AuditAction;
  readonly object: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

export interface AuditRow extends AuditEntry {
  readonly id: number;
}

/** A row as the API and `audit list --json` show it: its time in ISO 8601, no id. */
export function auditItem(row: AuditEntry): Omit<AuditEntry, 'at'> & { readonly when: string } {
  const { at, username, address, action, object, fields } = row;
  return { when: new Date(at).toISOString(), username, address, action, object, fields };
}

export interface AuditFilter {
  readonly username?: string;
  readonly action?: AuditAction;
  /** This object, or one under it: `demo` also finds `demo/manual__…` and `demo/manual__…/load`. */
  readonly object?: string;
  /** From this time (ms, inclusive). */
  readonly since?: number;
  /** Before this time (ms, exclusive). */
  readonly until?: number;
  /** @default 100, at most AUDIT_MAX_LIMIT */
  readonly limit?: number;
  /** @default 0 */
  readonly offset?: number;
}

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

/** A filter the log cannot answer: the field it names and why. */
export class AuditFilterError extends DownbeatError {
  readonly field: string;

  constructor(field: string, message: string) {
    super('invalid_audit_filter', message);
    this.field = field;
  }
}

export async function recordAudit(db: DbSession, entry: AuditEntry): Promise<void> {
  await db.execute(
    `INSERT INTO audit_log (at, username, address, action, object, fields) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.at, entry.username, entry.address, entry.action, entry.object, maskedFieldsJson(entry.fields)],
  );
}

const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;

/** The rows that match, newest first. */
export async function listAudit(db: DbSession, filter: AuditFilter = {}): Promise<AuditRow[]> {
  const limit = filter.limit ?? AUDIT_DEFAULT_LIMIT;
  const offset = filter.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_LIMIT)
    throw new AuditFilterError(
      'limit',
      `limit must be a whole number from 1 to ${AUDIT_MAX_LIMIT}, not ${limit}`,
    );
  if (!Number.isInteger(offset) || offset < 0)
    throw new AuditFilterError('offset', `offset must be a whole number of 0 or more, not ${offset}`);
  if (filter.action !== undefined && !isAuditAction(filter.action))
    throw new AuditFilterError('action', `action must be one of ${AUDIT_ACTIONS.join(', ')}`);
  const where: string[] = [];
  const params: (string | number)[] = [];
  const param = (value: string | number) => (params.push(value), `$${params.length}`);
  if (filter.username !== undefined) where.push(`username = ${param(filter.username)}`);
  if (filter.action !== undefined) where.push(`action = ${param(filter.action)}`);
  if (filter.object !== undefined)
    where.push(
      `(object = ${param(filter.object)} OR object LIKE ${param(likePrefix(filter.object))} ESCAPE '\\')`,
    );
  if (filter.since !== undefined) where.push(`at >= ${param(filter.since)}`);
  if (filter.until !== undefined) where.push(`at < ${param(filter.until)}`);
  const rows = await db.query<{
    id: number;
    at: number;
    username: string;
    address: string;
    action: AuditAction;
    object: string;
    fields: string;
  }>(
    `SELECT id, at, username, address, action, object, fields FROM audit_log
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY at DESC, id DESC LIMIT ${param(limit)} OFFSET ${param(offset)}`,
    params,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    username: r.username,
    address: r.address,
    action: r.action,
    object: r.object,
    fields: JSON.parse(r.fields) as Record<string, unknown>,
  }));
}
