import type { Db } from '../db/index.ts';

/** A scheduled run found past its deadline without having succeeded by it. */
export interface MissedRun {
  readonly runId: string;
  readonly logicalDate: number;
  readonly intervalEnd: number;
  /** Its state when the miss was found. */
  readonly state: string;
}

/** Runs decided per sweep of a DAG at most: the rest in the next loop. */
const SWEEP_LIMIT = 1000;

/**
 * Decides the deadline of each scheduled run of the DAG whose interval ended `deadlineMs` or more
 * ago: `met` when it had succeeded by then, else `missed`, with the time the miss was found (a run
 * that succeeds later keeps it). Each run is decided once, by one UPDATE, however many schedulers
 * sweep at once; the runs newly found missed are returned, to be alerted once.
 */
export async function decideDeadlines(
  db: Db,
  dagId: string,
  deadlineMs: number,
  now: number,
): Promise<MissedRun[]> {
  const inTime = 'state = $4 AND ended_at IS NOT NULL AND ended_at <= interval_end + $2';
  const rows = await db.query<{
    run_id: string;
    logical_date: number;
    interval_end: number;
    state: string;
    deadline: string;
  }>(
    `UPDATE dag_runs SET deadline = CASE WHEN ${inTime} THEN 'met' ELSE 'missed' END,
       deadline_missed_at = CASE WHEN ${inTime} THEN NULL ELSE $3 END
     WHERE id IN (SELECT id FROM dag_runs WHERE dag_id = $1 AND run_type = 'scheduled' AND kind = 'interval'
         AND deadline IS NULL AND interval_end + $2 <= $3 ORDER BY interval_end LIMIT ${SWEEP_LIMIT})
       AND deadline IS NULL
     RETURNING run_id, logical_date, interval_end, state, deadline`,
    [dagId, deadlineMs, now, 'success'],
  );
  return rows
    .filter((r) => r.deadline === 'missed')
    .map((r) => ({
      runId: r.run_id,
      logicalDate: Number(r.logical_date),
      intervalEnd: Number(r.interval_end),
      state: r.state,
    }));
}
