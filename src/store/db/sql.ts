export type { Statement } from './db.ts';

/** The channel every change that makes work ready notifies (inside its transaction: sent on commit). */
export const QUEUE_CHANNEL = 'downbeat_queue';

/** A list of fixed names (states) as SQL literals, for `IN (…)`: never a value from a user. */
export function sqlList(names: readonly string[]): string {
  return names.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
}

/** `$from, $from+1, …` for `count` parameters. */
export function placeholders(count: number, from = 1): string {
  return Array.from({ length: count }, (_, i) => `$${i + from}`).join(', ');
}
