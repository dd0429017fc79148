import type { DbSession, DbValue, Statement } from './db.ts';

export type { Statement } from './db.ts';

/** The channel every change that makes work ready notifies (inside its transaction: sent on commit). */
export const QUEUE_CHANNEL = 'downbeat_queue';

/** Wakes listening workers when the transaction commits (PostgreSQL); SQLite workers are in process. */
export async function notifyQueue(tx: DbSession): Promise<void> {
  if (tx.dialect === 'postgres') await tx.execute(`SELECT pg_notify('${QUEUE_CHANNEL}', '')`);
}

/** A list of fixed names (states) as SQL literals, for `IN (…)`: never a value from a user. */
export function sqlList(names: readonly string[]): string {
  return names.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
}

/** `$from, $from+1, …` for `count` parameters. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `$${i + from}`).join(', ');
}

/**
 * Runs statements that do not read each other's writes, in one round trip on PostgreSQL (all but
 * the last as data-modifying CTEs of the last, their parameters numbered on; all of them see the
 * statement's one snapshot) and in turn on SQLite. Returns the last one's rows.
 */
export async function inOneStatement<T extends object>(
  tx: DbSession,
  statements: readonly Statement[],
): Promise<T[]> {
  if (tx.dialect !== 'postgres' || statements.length === 1) {
    let rows: T[] = [];
    for (const { sql, params } of statements) rows = await tx.query<T>(sql, params);
    return rows;
  }
  const params: DbValue[] = [];
  const numbered = statements.map((s) => {
    const offset = params.length;
    params.push(...s.params);
    return s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = numbered.pop() as string;
  return tx.query<T>(`WITH ${numbered.map((sql, i) => `s${i} AS (${sql})`).join(', ')} ${last}`, params);
}
