import type { RunState } from '../../lifecycle/index.ts';
import type { RunStateReader } from '../../dag/index.ts';
import type { Db } from '../db/index.ts';
import type { ReadRunRow } from '../runs/index.ts';

/**
 * What the API and UI read about past and present work: runs, task instances, tries, logs,
 * checks. Every list is bounded (a page or a window), so its cost does not grow with history.
 */

export interface RunFilter {
  readonly states?: readonly RunState[];
  readonly logicalFrom?: number;
  readonly logicalTo?: number;
  readonly limit: number;
  readonly offset: number;
  /** The DAG's range runs instead of its interval runs. @default false */
  readonly rangeRuns?: boolean;
}

/**
 * A run's columns, with where its task instances are (`tasks_pk`: its range run's when a range
 * run covered it) and its range run's id.
 */
const RUN_COLUMNS = `id, dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, backfill_id,
  created_at, started_at, ended_at, dag_version, marked_by, marked_at, kind, intervals, range_run_pk,
  deadline_missed_at, stale_at, stale_objects,
  COALESCE(range_run_pk, id) AS tasks_pk,
  (SELECT g.run_id FROM dag_runs g WHERE g.id = dag_runs.range_run_pk) AS range_run_id`;

function runWhere(dagId: string, filter: RunFilter): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [dagId];
  // Range runs are not interval runs: every list and count is of intervals (DESIGN §5.1).
  const parts = ['dag_id = $1', `kind = '${filter.rangeRuns ? 'range' : 'interval'}'`];
  if (filter.states?.length) {
    parts.push(`state IN (${filter.states.map((s) => `$${params.push(s)}`).join(', ')})`);
  }
  if (filter.logicalFrom !== undefined) parts.push(`logical_date >= $${params.push(filter.logicalFrom)}`);
  if (filter.logicalTo !== undefined) parts.push(`logical_date <= $${params.push(filter.logicalTo)}`);
  return { where: parts.join(' AND '), params };
}

/** A DAG's runs, newest first, one page of them, and how many match. */
export async function listRuns(
  db: Db,
  dagId: string,
  filter: RunFilter,
): Promise<{ runs: ReadRunRow[]; total: number }> {
  const { where, params } = runWhere(dagId, filter);
  const runs = await db.query<ReadRunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE ${where} ORDER BY logical_date DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`,
    params,
  );
  const [count] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM dag_runs WHERE ${where}`, params);
  return { runs, total: Number(count?.n ?? 0) };
}

/** The newest runs before `before` (all when undefined), newest first. */
export async function runWindow(
  db: Db,
  dagId: string,
  limit: number,
  before?: number,
): Promise<ReadRunRow[]> {
  return db.query<ReadRunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date < $2
     ORDER BY logical_date DESC LIMIT ${limit}`,
    [dagId, before ?? Number.MAX_SAFE_INTEGER],
  );
}

export async function countRuns(db: Db, dagId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM dag_runs WHERE dag_id = $1 AND kind = 'interval'",
    [dagId],
  );
  return Number(row?.n ?? 0);
}

/** A run by its id: an interval run, or a range run (whose ids start `range__`). */
export async function findRun(db: Db, dagId: string, runId: string): Promise<ReadRunRow | undefined> {
  const [run] = await db.query<ReadRunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE dag_id = $1 AND run_id = $2`,
    [dagId, runId],
  );
  return run;
}

/** The newest runs' states per DAG, newest first (the DAG list's dots). */
export async function recentRunStates(
  db: Db,
  dagId: string,
  limit: number,
): Promise<{ run_id: string; state: RunState; logical_date: number; deadline_missed_at: number | null }[]> {
  return db.query(
    `SELECT run_id, state, logical_date, deadline_missed_at FROM dag_runs WHERE dag_id = $1 AND kind = 'interval'
     ORDER BY logical_date DESC LIMIT ${limit}`,
    [dagId],
  );
}

/** The logical date of the DAG's newest scheduled run (where the schedule goes on from). */
export async function latestScheduledRun(db: Db, dagId: string): Promise<number | undefined> {
  const [row] = await db.query<{ latest: number | null }>(
    "SELECT MAX(logical_date) AS latest FROM dag_runs WHERE dag_id = $1 AND run_type = 'scheduled'",
    [dagId],
  );
  return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
}

/**
 * A RunStateReader on the metadata DB: the state of a DAG's run at a logical date, or of one of
 * its task instances (what waitForRun pokes).
 */
export function runStates(db: Db): RunStateReader {
  return {
    async state(dagId, logicalDate, taskId) {
      const [row] =
        taskId === undefined
          ? await db.query<{ state: string }>(
              "SELECT state FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date = $2",
              [dagId, logicalDate.getTime()],
            )
          : await db.query<{ state: string }>(
              `SELECT ti.state FROM task_instances ti JOIN dag_runs r ON COALESCE(r.range_run_pk, r.id) = ti.run_pk
               WHERE r.dag_id = $1 AND r.kind = 'interval' AND r.logical_date = $2 AND ti.task_id = $3`,
              [dagId, logicalDate.getTime(), taskId],
            );
      return row?.state;
    },
  };
}
