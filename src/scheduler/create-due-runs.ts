import type { Dag } from '../dag/index.ts';
import { createRun, type Db } from '../store/index.ts';

/** Runs created per DAG per loop at most, so a long catchup never stalls the scheduler. */
const MAX_PER_LOOP = 100;

/**
 * Creates the scheduled runs that are due: a run for [t, next(t)) is due once next(t) has passed.
 * After the DAG's latest scheduled run, every missed interval when catchup is on (oldest first),
 * only the latest one when it is off; from the start date on the first time (catchup), or just the
 * latest complete interval (no catchup). Paused and inactive DAGs get none.
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

/** Logical dates of the due intervals not yet run, by the rules above. */
export function dueIntervals(dag: Dag, latest: number | undefined, now: number): number[] {
  const schedule = dag.schedule;
  if (!schedule) return [];
  const isDue = (start: number) => schedule.next(new Date(start)).getTime() <= now;
  const firstStart = schedule.isFireTime(dag.startDate)
    ? dag.startDate.getTime()
    : schedule.next(dag.startDate).getTime();
  if (latest === undefined && !dag.catchup) {
    // The latest complete interval: the fire time two before now's next.
    const current = schedule.atOrBefore(new Date(now)).getTime();
    const previous = schedule.atOrBefore(new Date(current - 1)).getTime();
    const start = isDue(current) ? current : previous;
    return start >= firstStart && isDue(start) ? [start] : [];
  }
  const due: number[] = [];
  let start = latest === undefined ? firstStart : schedule.next(new Date(latest)).getTime();
  while (isDue(start) && due.length < (dag.catchup ? MAX_PER_LOOP : Number.POSITIVE_INFINITY)) {
    due.push(start);
    start = schedule.next(new Date(start)).getTime();
    if (!dag.catchup && due.length > 1) due.shift();
  }
  return due;
}
