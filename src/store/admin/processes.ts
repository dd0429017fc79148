import { hostname } from 'node:os';
import type { Db } from '../db/index.ts';

export type ProcessKind = 'scheduler' | 'worker' | 'webserver';

/**
 * Records that a process is alive; called at start and every few seconds. A scheduler also
 * records its last loop's time, for /metrics.
 */
export async function beat(
  db: Db,
  id: string,
  kind: ProcessKind,
  now: number,
  loopMs: number | null = null,
): Promise<void> {
  await db.execute(
    `INSERT INTO processes (id, kind, hostname, pid, started_at, heartbeat_at, loop_ms) VALUES ($1, $2, $3, $4, $5, $5, $6)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, loop_ms = excluded.loop_ms`,
    [id, kind, hostname(), process.pid, now, loopMs],
  );
}

export async function forget(db: Db, id: string): Promise<void> {
  await db.execute('DELETE FROM processes WHERE id = $1', [id]);
}

/** Whether a process of this kind has heartbeated within `withinMs`. */
export async function alive(db: Db, kind: ProcessKind, now: number, withinMs: number): Promise<boolean> {
  const [row] = await db.query('SELECT id FROM processes WHERE kind = $1 AND heartbeat_at >= $2 LIMIT 1', [
    kind,
    now - withinMs,
  ]);
  return row !== undefined;
}
