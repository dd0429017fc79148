import { DownbeatError } from '../../errors/index.ts';
import type { Db } from '../db/index.ts';

/** A pool as `pools list`, the API and the UI show it (Airflow's fields). */
export interface PoolRow {
  readonly name: string;
  readonly slots: number;
  readonly description: string;
  /** Slots its running task instances take. */
  readonly running_slots: number;
  /** Slots its task instances ready to run (queued, or due for a retry or a poke) would take. */
  readonly queued_slots: number;
  readonly open_slots: number;
}

export const DEFAULT_POOL = 'default_pool';
export const POOL_NAME = /^[A-Za-z0-9_.-]{1,250}$/;

/** A pool that cannot be deleted (default_pool), or that does not exist. */
export class PoolError extends DownbeatError {}

/** Creates the pool or changes its slots (and description, when one is given). */
export async function setPool(
  db: Db,
  name: string,
  slots: number,
  description: string | undefined,
  now: number,
): Promise<void> {
  await db.execute(
    `INSERT INTO pools (name, slots, description, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET slots = excluded.slots, updated_at = excluded.updated_at
       ${description === undefined ? '' : ', description = excluded.description'}`,
    [name, slots, description ?? '', now],
  );
}

export async function listPools(db: Db, name?: string): Promise<PoolRow[]> {
  const rows = await db.query<{
    name: string;
    slots: number;
    description: string;
    running: number | null;
    queued: number | null;
  }>(
    `SELECT p.name, p.slots, p.description,
       (SELECT SUM(t.pool_slots) FROM task_instances t WHERE t.state = 'running' AND t.pool = p.name) AS running,
       (SELECT SUM(t.pool_slots) FROM task_instances t
        WHERE t.state IN ('queued', 'up_for_retry', 'up_for_reschedule') AND t.pool = p.name) AS queued
     FROM pools p ${name === undefined ? '' : 'WHERE p.name = $1'} ORDER BY p.name`,
    name === undefined ? [] : [name],
  );
  return rows.map((r) => {
    const running = Number(r.running ?? 0);
    return {
      name: r.name,
      slots: Number(r.slots),
      description: r.description,
      running_slots: running,
      queued_slots: Number(r.queued ?? 0),
      open_slots: Math.max(0, Number(r.slots) - running),
    };
  });
}

/** Deletes a pool; its tasks then fail when they are claimed, naming it. default_pool stays. */
export async function deletePool(db: Db, name: string): Promise<boolean> {
  if (name === DEFAULT_POOL)
    throw new PoolError('pool_protected', `${DEFAULT_POOL} cannot be deleted (set its slots instead)`);
  return (await db.execute('DELETE FROM pools WHERE name = $1', [name])) > 0;
}
