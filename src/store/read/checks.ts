import { placeholders, type Db } from '../db/index.ts';

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
       WHERE ti.run_pk IN (${placeholders(runPks.length)}) AND ti.try_number > 0
     ) per_task WHERE total > 0
     GROUP BY run_pk`,
    runPks,
  );
  return rows.map((r) => ({ run_pk: Number(r.run_pk), passed: Number(r.passed), failed: Number(r.failed) }));
}
