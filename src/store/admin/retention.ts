import type { Db } from '../db/index.ts';

/**
 * Deleting old history (Airflow's `db clean`): the log lines of tries that ended before a cutoff,
 * and, when asked, whole finished runs. A try still running has not ended, so its log is never
 * touched; runs that a scheduler or a backfill still needs are kept.
 */

/** Task instances per statement: small transactions, so that workers never wait long behind one. */
const BATCH = 500;

export interface LogCleaning {
  /** Log lines deleted by this call. */
  readonly deleted: number;
  /** Where to go on from (pass it as `afterTiId`), or undefined when the pass reached the end. */
  readonly next: number | undefined;
}

/**
 * Deletes the log lines of tries that ended before `before`, walking the task instances that still
 * have log lines in id order from `afterTiId`, `BATCH` at a time, at most `maxBatches` batches.
 * The walk visits only task instances with lines left, so a pass costs what the retention window
 * holds, not what history holds.
 */
export async function deleteOldLogLines(
  db: Db,
  before: number,
  options: { afterTiId?: number; maxBatches?: number } = {},
): Promise<LogCleaning> {
  let cursor = options.afterTiId ?? 0;
  let deleted = 0;
  for (let batch = 0; batch < (options.maxBatches ?? Number.POSITIVE_INFINITY); batch += 1) {
    const ids = (
      await db.query<{ ti_id: number }>(
        `SELECT DISTINCT ti_id FROM task_log_lines WHERE ti_id > $1 ORDER BY ti_id LIMIT ${BATCH}`,
        [cursor],
      )
    ).map((r) => Number(r.ti_id));
    if (ids.length === 0) return { deleted, next: undefined };
    // Everything by key: the batch's tries, then its lines. (A join with task_tries on ended_at
    // lets PostgreSQL scan every try in history.) A task's tries end in order, so the lines that
    // may go are those of its tries 1…m, where m is the last of the tries that ended before the
    // cutoff with none running or ended later before it.
    const list = ids.map((_, i) => `$${i + 1}`).join(', ');
    const tries = await db.query<{ ti_id: number; try_number: number; ended_at: number | null }>(
      `SELECT ti_id, try_number, ended_at FROM task_tries WHERE ti_id IN (${list}) ORDER BY ti_id, try_number`,
      ids,
    );
    const upTo = new Map<number, number>();
    const stopped = new Set<number>();
    for (const t of tries) {
      const ti = Number(t.ti_id);
      if (stopped.has(ti)) continue;
      if (
        t.ended_at !== null &&
        Number(t.ended_at) < before &&
        Number(t.try_number) === (upTo.get(ti) ?? 0) + 1
      )
        upTo.set(ti, Number(t.try_number));
      else stopped.add(ti);
    }
    const byTry = new Map<number, number[]>();
    for (const [ti, m] of upTo) byTry.set(m, [...(byTry.get(m) ?? []), ti]);
    for (const [m, tis] of byTry) {
      deleted += await db.execute(
        `DELETE FROM task_log_lines WHERE try_number <= $1 AND ti_id IN (${tis.map((_, i) => `$${i + 2}`).join(', ')})`,
        [m, ...tis],
      );
    }
    cursor = ids.at(-1) ?? cursor;
    if (ids.length < BATCH) return { deleted, next: undefined };
  }
  return { deleted, next: cursor };
}

/** Log lines `deleteOldLogLines` would delete (a dry run). */
export async function countOldLogLines(db: Db, before: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM task_log_lines l
     JOIN task_tries t ON t.ti_id = l.ti_id AND t.try_number = l.try_number WHERE t.ended_at < $1`,
    [before],
  );
  return Number(row?.n ?? 0);
}

/**
 * Finished runs (success or failed) that ended before `before`, which may go: not the newest
 * scheduled run of a DAG (the schedule goes on from it; without it a catchup DAG would run its
 * history again), and no run of a backfill still creating or running.
 */
const OLD_RUNS = `FROM dag_runs r
  WHERE r.state IN ('success', 'failed') AND r.ended_at < $1
    AND NOT EXISTS (SELECT 1 FROM backfills b WHERE b.id = r.backfill_id AND b.state IN ('creating', 'running'))
    AND NOT EXISTS (SELECT 1 FROM dag_runs c WHERE c.range_run_pk = r.id)
    AND NOT (r.run_type = 'scheduled' AND r.logical_date = (
      SELECT MAX(s.logical_date) FROM dag_runs s WHERE s.dag_id = r.dag_id AND s.run_type = 'scheduled'))`;

export async function countOldRuns(db: Db, before: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n ${OLD_RUNS} AND r.kind = 'interval'`, [
    before,
  ]);
  return Number(row?.n ?? 0);
}

/**
 * Deletes the runs `countOldRuns` counts, with their task instances, tries, log lines and check
 * results (the foreign keys cascade), a few at a time. Returns how many runs went.
 */
export async function deleteOldRuns(db: Db, before: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = (
      await db.query<{ id: number }>(`SELECT r.id ${OLD_RUNS} ORDER BY r.id LIMIT 100`, [before])
    ).map((r) => Number(r.id));
    if (ids.length === 0) return deleted;
    deleted += await db.execute(
      `DELETE FROM dag_runs WHERE id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
      ids,
    );
  }
}

/** Audit rows older than `before` (a dry run of `deleteOldAuditRows`). */
export async function countOldAuditRows(db: Db, before: number): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log WHERE at < $1', [before]);
  return Number(row?.n ?? 0);
}

/** Deletes the audit rows older than `before`, oldest first, `BATCH` at a time. Returns how many went. */
export async function deleteOldAuditRows(db: Db, before: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await db.execute(
      `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < $1 ORDER BY id LIMIT ${BATCH})`,
      [before],
    );
    deleted += n;
    if (n < BATCH) return deleted;
  }
}
