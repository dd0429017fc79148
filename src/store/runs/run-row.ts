import type { RunState } from '../../lifecycle/index.ts';
import type { RunType } from '../../dag/index.ts';
import type { Db } from '../db/index.ts';

/** A row of dag_runs. Times are epoch milliseconds. */
export interface RunRow {
  readonly id: number;
  readonly dag_id: string;
  readonly run_id: string;
  readonly run_type: RunType;
  readonly logical_date: number;
  readonly interval_start: number;
  readonly interval_end: number;
  readonly state: RunState;
  readonly conf: string;
  readonly backfill_id: number | null;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly ended_at: number | null;
  /** The version of its DAG it was created with. */
  readonly dag_version: string;
  /** Who last marked the run by hand, and when; null when nobody did. */
  readonly marked_by: string | null;
  readonly marked_at: number | null;
  /** 'range': a range run, covering `intervals` consecutive intervals of a backfill (DESIGN §5.1). */
  readonly kind: 'interval' | 'range';
  readonly intervals: number;
  /** An interval run's range run, whose task instances are its own while it covers it. */
  readonly range_run_pk: number | null;
  /** When the run was found past its DAG's deadline without having succeeded; null: not (yet). */
  readonly deadline_missed_at: number | null;
  /** When a sweep found an object it read changed at the source; null: not stale (stale-runs.ts). */
  readonly stale_at: number | null;
  /** JSON: the changed objects (stale-runs.ts's ChangedObject[]); null when not stale. */
  readonly stale_objects: string | null;
}

/** A run as the readers give it (store/read/runs.ts): where its tasks are, its range run's id. */
export interface ReadRunRow extends RunRow {
  /** The run whose task instances show this one: its range run's while one covers it. */
  readonly tasks_pk: number;
  readonly range_run_id: string | null;
}

export async function getRun(db: Db, dagId: string, logicalDate: number): Promise<RunRow | undefined> {
  const [row] = await db.query<RunRow & Record<string, unknown>>(
    "SELECT * FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date = $2",
    [dagId, logicalDate],
  );
  return row;
}
