/**
 * Stale runs (source lineage, issue #19): a succeeded interval run one of whose read objects has
 * since changed at the source is marked stale (`stale_at`, `stale_objects`), until the interval runs
 * again and succeeds (complete-run.ts and range-runs.ts clear the mark).
 */
import type { Db } from '../db/index.ts';

/** A succeeded interval run, with the run id its reads are pinned under (its range run's, if covered). */
export interface SucceededRun {
  readonly id: number;
  readonly runId: string;
  readonly logicalDate: number;
  readonly intervalStart: number;
  readonly intervalEnd: number;
  readonly readRunId: string;
  readonly stale: boolean;
}

/** An object a run read that the source no longer holds at that version (`now` null: gone). */
export interface ChangedObject {
  readonly table: string;
  readonly key: string;
  readonly read: string;
  readonly now: string | null;
}

/** The DAG's succeeded interval runs after `afterLogicalDate`, in order, `limit` of them at most. */
export async function succeededRuns(
  db: Db,
  dagId: string,
  afterLogicalDate: number,
  limit: number,
): Promise<SucceededRun[]> {
  const rows = await db.query<{
    id: number;
    run_id: string;
    logical_date: number;
    interval_start: number;
    interval_end: number;
    read_run_id: string;
    stale_at: number | null;
  }>(
    `SELECT r.id, r.run_id, r.logical_date, r.interval_start, r.interval_end, r.stale_at,
       COALESCE(g.run_id, r.run_id) AS read_run_id
     FROM dag_runs r LEFT JOIN dag_runs g ON g.id = r.range_run_pk
     WHERE r.dag_id = $1 AND r.kind = 'interval' AND r.state = 'success' AND r.logical_date > $2
     ORDER BY r.logical_date LIMIT ${Math.trunc(limit)}`,
    [dagId, afterLogicalDate],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    runId: r.run_id,
    logicalDate: Number(r.logical_date),
    intervalStart: Number(r.interval_start),
    intervalEnd: Number(r.interval_end),
    readRunId: r.read_run_id,
    stale: r.stale_at !== null,
  }));
}

/** Marks run `runPk` stale unless it is already; whether it was marked now. */
export async function markStale(
  db: Db,
  runPk: number,
  objects: readonly ChangedObject[],
  now: number,
): Promise<boolean> {
  const changed = await db.execute(
    'UPDATE dag_runs SET stale_at = $2, stale_objects = $3 WHERE id = $1 AND stale_at IS NULL',
    [runPk, now, JSON.stringify(objects)],
  );
  return changed > 0;
}

/** The logical dates (ms) of the DAG's stale interval runs in [start, end). */
export async function staleLogicalDates(
  db: Db,
  dagId: string,
  start: number,
  end: number,
): Promise<Set<number>> {
  const rows = await db.query<{ logical_date: number }>(
    `SELECT logical_date FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND stale_at IS NOT NULL
       AND logical_date >= $2 AND logical_date < $3`,
    [dagId, start, end],
  );
  return new Set(rows.map((r) => Number(r.logical_date)));
}

/** What a stale run's mark says it read that changed (empty for a run not stale). */
export function staleObjectsOf(column: string | null | undefined): ChangedObject[] {
  if (!column) return [];
  return JSON.parse(column) as ChangedObject[];
}
