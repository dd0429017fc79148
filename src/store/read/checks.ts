import { placeholders, type Db } from '../db/index.ts';

export interface CheckRow {
  readonly task_id: string;
  readonly try_number: number;
  readonly name: string;
  readonly check_sql: string | null;
  readonly expected: string;
  readonly actual: string;
  readonly passed: number | boolean;
  /** A range run's result for the covered interval starting here; null: the whole run's. */
  readonly interval_start: number | null;
}

/**
 * The data-quality results of a run: each task's latest try that recorded any. `tasksPk` is the
 * run whose task instances show it (its range run's when one covered it: then only the results of
 * its own interval, `logicalDate`, and those of the whole range, whose interval_start is null).
 */
export async function checksOfRun(db: Db, tasksPk: number, logicalDate?: number): Promise<CheckRow[]> {
  return db.query<CheckRow>(
    `SELECT ti.task_id, c.try_number, c.name, c.check_sql, c.expected, c.actual, c.passed, c.interval_start
     FROM check_results c JOIN task_instances ti ON ti.id = c.ti_id
     WHERE ti.run_pk = $1
       AND c.try_number = (SELECT MAX(c2.try_number) FROM check_results c2 WHERE c2.ti_id = c.ti_id)
       ${logicalDate === undefined ? '' : 'AND (c.interval_start IS NULL OR c.interval_start = $2)'}
     ORDER BY ti.task_id, c.position`,
    logicalDate === undefined ? [tasksPk] : [tasksPk, logicalDate],
  );
}

/** A run as checkCountsOf counts it: its pk, where its tasks are, and its logical date. */
export interface CountedRun {
  readonly id: number;
  readonly tasks_pk: number;
  readonly logical_date: number;
}

/**
 * Checks passed and failed per run, for these runs: a run a range run covered counts the range's
 * results for its interval and for the whole range.
 */
export async function checkCountsOf(
  db: Db,
  runs: readonly CountedRun[],
): Promise<{ run_pk: number; passed: number; failed: number }[]> {
  if (runs.length === 0) return [];
  const tasksPks = [...new Set(runs.map((r) => Number(r.tasks_pk)))];
  // Lookups by key from the window's task instances, as in outcomesOf.
  const rows = await db.query<{
    run_pk: number;
    interval_start: number | null;
    passed: number;
    total: number;
  }>(
    `SELECT ti.run_pk, c.interval_start, SUM(c.passed) AS passed, COUNT(*) AS total
     FROM task_instances ti JOIN check_results c ON c.ti_id = ti.id AND c.try_number = ti.try_number
     WHERE ti.run_pk IN (${placeholders(tasksPks.length)}) AND ti.try_number > 0
     GROUP BY ti.run_pk, c.interval_start`,
    tasksPks,
  );
  const counts = new Map<string, { passed: number; total: number }>();
  for (const r of rows)
    counts.set(`${Number(r.run_pk)}:${r.interval_start === null ? '' : Number(r.interval_start)}`, {
      passed: Number(r.passed),
      total: Number(r.total),
    });
  return runs.flatMap((run) => {
    const own = Number(run.tasks_pk) === Number(run.id);
    const parts = [
      counts.get(`${Number(run.tasks_pk)}:`),
      own ? undefined : counts.get(`${Number(run.tasks_pk)}:${Number(run.logical_date)}`),
    ].filter((c) => c !== undefined);
    if (parts.length === 0) return [];
    const passed = parts.reduce((a, c) => a + c.passed, 0);
    const total = parts.reduce((a, c) => a + c.total, 0);
    return [{ run_pk: Number(run.id), passed, failed: total - passed }];
  });
}
