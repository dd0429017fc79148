import type { TaskState, TryState } from '../../lifecycle/index.ts';
import { placeholders, type Db } from '../db/index.ts';

export interface TaskInstanceRow {
  readonly id: number;
  readonly run_pk: number;
  readonly task_id: string;
  readonly state: TaskState;
  readonly try_number: number;
  readonly retries: number;
  readonly worker: string | null;
  readonly started_at: number | null;
  readonly ended_at: number | null;
  /** Who last marked it by hand, and when; null when nobody did. */
  readonly marked_by: string | null;
  readonly marked_at: number | null;
}

const TI_COLUMNS =
  'id, run_pk, task_id, state, try_number, retries, worker, started_at, ended_at, marked_by, marked_at';

/** The task instances of these runs (a window of the grid, or one run). */
export async function taskInstancesOf(db: Db, runPks: readonly number[]): Promise<TaskInstanceRow[]> {
  if (runPks.length === 0) return [];
  return db.query<TaskInstanceRow>(
    `SELECT ${TI_COLUMNS} FROM task_instances WHERE run_pk IN (${placeholders(runPks.length)})`,
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
  readonly state: TryState;
  readonly worker: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly outcome: string | null;
  readonly output: string | null;
}

export async function triesOf(db: Db, tiId: number): Promise<TryRow[]> {
  return db.query<TryRow>(
    `SELECT try_number, state, worker, started_at, ended_at, error_code, error_message, outcome, output
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

/** The outcome JSON of each task's latest try, for these runs. */
export async function outcomesOf(
  db: Db,
  runPks: readonly number[],
): Promise<{ run_pk: number; task_id: string; outcome: string | null }[]> {
  if (runPks.length === 0) return [];
  // A lookup of each task instance's try by key, not a join: given a join, PostgreSQL hash-joins
  // the window's task instances against a scan of every try in history, which grows with it
  // (BENCHMARKS.md, "Scale (issue #6): orchestration volume").
  return db.query(
    `SELECT ti.run_pk, ti.task_id,
       (SELECT t.outcome FROM task_tries t WHERE t.ti_id = ti.id AND t.try_number = ti.try_number) AS outcome
     FROM task_instances ti
     WHERE ti.run_pk IN (${placeholders(runPks.length)}) AND ti.try_number > 0`,
    runPks,
  );
}

/**
 * What each of these tasks of run `runPk` gives its downstream tasks (context.output): the output
 * of its latest try that succeeded, or that try's outcome when it gave no output.
 */
export async function upstreamOutputs(
  db: Db,
  runPk: number,
  taskIds: readonly string[],
): Promise<Map<string, unknown>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.query<{ task_id: string; output: string | null; outcome: string | null }>(
    `SELECT ti.task_id, t.output, t.outcome FROM task_instances ti
     JOIN task_tries t ON t.ti_id = ti.id AND t.try_number = ti.try_number
     WHERE ti.run_pk = $1 AND ti.state = 'success' AND ti.task_id IN (${placeholders(taskIds.length, 2)})`,
    [runPk, ...taskIds],
  );
  return new Map(rows.map((r) => [r.task_id, JSON.parse(r.output ?? r.outcome ?? 'null') as unknown]));
}
