import type { DagRow } from './dags.ts';
import type { Db } from './db.ts';
import type { RunRow, RunState } from './runs.ts';

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
}

const RUN_COLUMNS =
  'id, dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, backfill_id, created_at, started_at, ended_at';

function runWhere(dagId: string, filter: RunFilter): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [dagId];
  const parts = ['dag_id = $1'];
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
): Promise<{ runs: RunRow[]; total: number }> {
  const { where, params } = runWhere(dagId, filter);
  const runs = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE ${where} ORDER BY logical_date DESC LIMIT ${filter.limit} OFFSET ${filter.offset}`,
    params,
  );
  const [count] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM dag_runs WHERE ${where}`, params);
  return { runs, total: Number(count?.n ?? 0) };
}

/** The newest runs before `before` (all when undefined), newest first. */
export async function runWindow(db: Db, dagId: string, limit: number, before?: number): Promise<RunRow[]> {
  return db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE dag_id = $1 AND logical_date < $2 ORDER BY logical_date DESC LIMIT ${limit}`,
    [dagId, before ?? Number.MAX_SAFE_INTEGER],
  );
}

export async function countRuns(db: Db, dagId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM dag_runs WHERE dag_id = $1', [
    dagId,
  ]);
  return Number(row?.n ?? 0);
}

export async function findRun(db: Db, dagId: string, runId: string): Promise<RunRow | undefined> {
  const [run] = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM dag_runs WHERE dag_id = $1 AND run_id = $2`,
    [dagId, runId],
  );
  return run;
}

export interface TaskInstanceRow {
  readonly id: number;
  readonly run_pk: number;
  readonly task_id: string;
  readonly state: string;
  readonly try_number: number;
  readonly retries: number;
  readonly worker: string | null;
  readonly started_at: number | null;
  readonly ended_at: number | null;
}

const TI_COLUMNS = 'id, run_pk, task_id, state, try_number, retries, worker, started_at, ended_at';

/** The task instances of these runs (a window of the grid, or one run). */
export async function taskInstancesOf(db: Db, runPks: readonly number[]): Promise<TaskInstanceRow[]> {
  if (runPks.length === 0) return [];
  return db.query<TaskInstanceRow>(
    `SELECT ${TI_COLUMNS} FROM task_instances WHERE run_pk IN (${runPks.map((_, i) => `$${i + 1}`).join(', ')})`,
    runPks,
  );
}

export async function findTaskInstance(
  db: Db,
  runPk: number,
  taskId: string,
): Promise<TaskInstanceRow | undefined> {
  const [ti] = await db.query<TaskInstanceRow>(
    `SELECT ${TI_COLUMNS} FROM task_instances WHERE run_pk = $1 AND task_id = $2`,
    [runPk, taskId],
  );
  return ti;
}

export interface TryRow {
  readonly try_number: number;
  readonly state: string;
  readonly worker: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly outcome: string | null;
}

export async function triesOf(db: Db, tiId: number): Promise<TryRow[]> {
  return db.query<TryRow>(
    `SELECT try_number, state, worker, started_at, ended_at, error_code, error_message, outcome
     FROM task_tries WHERE ti_id = $1 ORDER BY try_number`,
    [tiId],
  );
}

/** Log lines of a try after line `after`, at most `limit` of them. */
export async function logLines(
  db: Db,
  tiId: number,
  tryNumber: number,
  after: number,
  limit: number,
): Promise<{ line_no: number; text: string }[]> {
  const rows = await db.query<{ line_no: number; text: string }>(
    `SELECT line_no, text FROM task_log_lines WHERE ti_id = $1 AND try_number = $2 AND line_no > $3
     ORDER BY line_no LIMIT ${limit}`,
    [tiId, tryNumber, after],
  );
  return rows.map((r) => ({ line_no: Number(r.line_no), text: r.text }));
}

export interface CheckRow {
  readonly task_id: string;
  readonly try_number: number;
  readonly name: string;
  readonly check_sql: string | null;
  readonly expected: string;
  readonly actual: string;
  readonly passed: number | boolean;
}

/** The data-quality results of a run: each task's latest try that recorded any. */
export async function checksOfRun(db: Db, runPk: number): Promise<CheckRow[]> {
  return db.query<CheckRow>(
    `SELECT ti.task_id, c.try_number, c.name, c.check_sql, c.expected, c.actual, c.passed
     FROM check_results c JOIN task_instances ti ON ti.id = c.ti_id
     WHERE ti.run_pk = $1
       AND c.try_number = (SELECT MAX(c2.try_number) FROM check_results c2 WHERE c2.ti_id = c.ti_id)
     ORDER BY ti.task_id, c.position`,
    [runPk],
  );
}

/** The outcome JSON of each task's latest try, for these runs. */
export async function outcomesOf(
  db: Db,
  runPks: readonly number[],
): Promise<{ run_pk: number; task_id: string; outcome: string | null }[]> {
  if (runPks.length === 0) return [];
  // A lookup of each task instance's try by key, not a join: given a join, PostgreSQL hash-joins
  // the window's task instances against a scan of every try in history (35-46 ms at 10,000 runs).
  return db.query(
    `SELECT ti.run_pk, ti.task_id,
       (SELECT t.outcome FROM task_tries t WHERE t.ti_id = ti.id AND t.try_number = ti.try_number) AS outcome
     FROM task_instances ti
     WHERE ti.run_pk IN (${runPks.map((_, i) => `$${i + 1}`).join(', ')}) AND ti.try_number > 0`,
    runPks,
  );
}

/** Checks passed and failed per run, for these runs. */
export async function checkCountsOf(
  db: Db,
  runPks: readonly number[],
): Promise<{ run_pk: number; passed: number; failed: number }[]> {
  if (runPks.length === 0) return [];
  // Lookups by key from the window's task instances, as in outcomesOf.
  const rows = await db.query<{ run_pk: number; passed: number; failed: number }>(
    `SELECT run_pk, SUM(passed) AS passed, SUM(total - passed) AS failed FROM (
       SELECT ti.run_pk,
         (SELECT SUM(c.passed) FROM check_results c WHERE c.ti_id = ti.id AND c.try_number = ti.try_number) AS passed,
         (SELECT COUNT(*) FROM check_results c WHERE c.ti_id = ti.id AND c.try_number = ti.try_number) AS total
       FROM task_instances ti
       WHERE ti.run_pk IN (${runPks.map((_, i) => `$${i + 1}`).join(', ')}) AND ti.try_number > 0
     ) per_task WHERE total > 0
     GROUP BY run_pk`,
    runPks,
  );
  return rows.map((r) => ({ run_pk: Number(r.run_pk), passed: Number(r.passed), failed: Number(r.failed) }));
}

/** The newest runs' states per DAG, newest first (the DAG list's dots). */
export async function recentRunStates(
  db: Db,
  dagId: string,
  limit: number,
): Promise<{ run_id: string; state: RunState; logical_date: number }[]> {
  return db.query(
    `SELECT run_id, state, logical_date FROM dag_runs WHERE dag_id = $1 ORDER BY logical_date DESC LIMIT ${limit}`,
    [dagId],
  );
}

export async function importErrors(db: Db): Promise<{ file: string; message: string; updated_at: number }[]> {
  return db.query('SELECT file, message, updated_at FROM dag_import_errors ORDER BY file');
}

export async function listDagRows(db: Db): Promise<DagRow[]> {
  return db.query('SELECT * FROM dags ORDER BY dag_id');
}

export interface BackfillRow {
  readonly id: number;
  readonly dag_id: string;
  readonly start_date: number;
  readonly end_date: number;
  readonly reprocess: string;
  readonly max_active_runs: number;
  readonly state: string;
  readonly created_at: number;
  readonly ended_at: number | null;
}

/** Backfills, newest first; of one DAG when `dagId` is given. */
export async function listBackfills(
  db: Db,
  dagId: string | undefined,
  limit: number,
): Promise<BackfillRow[]> {
  return dagId === undefined
    ? db.query<BackfillRow>(`SELECT * FROM backfills ORDER BY id DESC LIMIT ${limit}`)
    : db.query<BackfillRow>(`SELECT * FROM backfills WHERE dag_id = $1 ORDER BY id DESC LIMIT ${limit}`, [
        dagId,
      ]);
}

export async function findBackfill(db: Db, id: number): Promise<BackfillRow | undefined> {
  const [row] = await db.query<BackfillRow>('SELECT * FROM backfills WHERE id = $1', [id]);
  return row;
}

/** The logical date of the DAG's newest scheduled run (where the schedule goes on from). */
export async function latestScheduledRun(db: Db, dagId: string): Promise<number | undefined> {
  const [row] = await db.query<{ latest: number | null }>(
    "SELECT MAX(logical_date) AS latest FROM dag_runs WHERE dag_id = $1 AND run_type = 'scheduled'",
    [dagId],
  );
  return row?.latest === null || row?.latest === undefined ? undefined : Number(row.latest);
}
