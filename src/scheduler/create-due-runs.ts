import type { Dag } from '../dag/index.ts';
import { dueIntervals } from '../lifecycle/index.ts';
import type { Db } from '../store/db/index.ts';
import { createRun } from '../store/runs/index.ts';

/**
 * Creates the scheduled runs that are due (src/lifecycle/schedule-walk.ts decides which) for each
 * unpaused, active DAG with a schedule. Returns how many it created.
 */
export async function createDueRuns(db: Db, dags: ReadonlyMap<string, Dag>, now: number): Promise<number> {
  const active = await db.query<{ dag_id: string; latest: number | null }>(
    `SELECT d.dag_id, (SELECT MAX(logical_date) FROM dag_runs r WHERE r.dag_id = d.dag_id AND r.run_type = 'scheduled') AS latest
     FROM dags d WHERE d.is_paused = 0 AND d.is_active = 1 AND d.schedule IS NOT NULL`,
  );
  let created = 0;
  for (const { dag_id: dagId, latest } of active) {
    const dag = dags.get(dagId);
    if (!dag?.schedule) continue;
    const due = dueIntervals(dag, latest === null ? undefined : Number(latest), now);
    for (const start of due) {
      if ((await createRun(db, dag, dag.runFor(new Date(start), 'scheduled'), now)) !== undefined)
        created += 1;
    }
  }
  return created;
}
