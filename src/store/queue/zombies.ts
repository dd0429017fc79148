import { afterLostTry } from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';

/**
 * Closes the tries of running tasks whose worker stopped heartbeating as lost, and puts the tasks
 * back in the queue as src/lifecycle/retry-policy.ts says of a lost try. Returns the task
 * instances freed.
 */
export async function requeueZombies(db: Db, now: number, timeoutMs: number): Promise<number[]> {
  return db.transaction(async (tx) => {
    const lock = tx.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const zombies = await tx.query<{ id: number; try_number: number }>(
      `SELECT id, try_number FROM task_instances WHERE state = 'running' AND heartbeat_at < $1 ${lock}`,
      [now - timeoutMs],
    );
    const { readyAt } = afterLostTry(now);
    for (const z of zombies) {
      await tx.execute(
        `UPDATE task_tries SET state = 'lost', ended_at = $1, error_code = 'lost',
           error_message = 'the worker running this try stopped heartbeating' WHERE ti_id = $2 AND try_number = $3`,
        [now, z.id, z.try_number],
      );
      await tx.execute(
        "UPDATE task_instances SET state = 'queued', ready_at = $1, worker = NULL WHERE id = $2",
        [readyAt, z.id],
      );
    }
    return zombies.map((z) => z.id);
  });
}
