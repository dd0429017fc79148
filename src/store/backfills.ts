import type { Dag } from '../dag/index.ts';
import { clearInTransaction } from './clear.ts';
import type { Db } from './db.ts';
import { createRun, type RunState } from './runs.ts';

export type Reprocess = 'none' | 'failed' | 'completed';

export interface BackfillRequest {
  readonly start: Date;
  /** Exclusive, like a data interval. */
  readonly end: Date;
  readonly reprocess: Reprocess;
  readonly maxActiveRuns: number;
}

export interface PlannedRun {
  readonly logicalDate: Date;
  /** create: no run yet; rerun: an existing run is cleared; adopt: an unfinished run joins; skip. */
  readonly action: 'create' | 'rerun' | 'adopt' | 'skip';
  readonly existing: RunState | null;
}

/** The runs a backfill would make, without making them (`--dry-run`). */
export async function planBackfill(db: Db, dag: Dag, request: BackfillRequest): Promise<PlannedRun[]> {
  const schedule = dag.schedule;
  if (!schedule) throw new Error(`DAG "${dag.id}" has no schedule: a backfill needs intervals`);
  const existing = new Map(
    (
      await db.query<{ logical_date: number; state: RunState }>(
        'SELECT logical_date, state FROM dag_runs WHERE dag_id = $1 AND logical_date >= $2 AND logical_date < $3',
        [dag.id, request.start.getTime(), request.end.getTime()],
      )
    ).map((r) => [Number(r.logical_date), r.state]),
  );
  const plan: PlannedRun[] = [];
  let start = schedule.isFireTime(request.start) ? request.start : schedule.next(request.start);
  while (start < request.end) {
    const state = existing.get(start.getTime()) ?? null;
    const action =
      state === null
        ? 'create'
        : state === 'queued' || state === 'running'
          ? 'adopt'
          : (request.reprocess === 'failed' && state === 'failed') || request.reprocess === 'completed'
            ? 'rerun'
            : 'skip';
    plan.push({ logicalDate: start, action, existing: state });
    start = schedule.next(start);
  }
  return plan;
}

/**
 * Records a backfill and its runs for the scheduler to execute: new runs are created, runs to
 * reprocess are cleared, unfinished runs of an interrupted backfill are adopted. Returns its id.
 */
export async function createBackfill(
  db: Db,
  dag: Dag,
  request: BackfillRequest,
  now: number,
): Promise<{ id: number; plan: PlannedRun[] }> {
  const plan = await planBackfill(db, dag, request);
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO backfills (dag_id, start_date, end_date, reprocess, max_active_runs, state, created_at)
     VALUES ($1, $2, $3, $4, $5, 'creating', $6) RETURNING id`,
    [dag.id, request.start.getTime(), request.end.getTime(), request.reprocess, request.maxActiveRuns, now],
  );
  const id = (row as { id: number }).id;
  for (const planned of plan) {
    if (planned.action === 'create') {
      const created = await createRun(db, dag, dag.runFor(planned.logicalDate, 'backfill'), now, id);
      if (created !== undefined) continue;
    }
    if (planned.action === 'skip') continue;
    await db.transaction(async (tx) => {
      const [run] = await tx.query<{ id: number; state: string }>(
        'SELECT id, state FROM dag_runs WHERE dag_id = $1 AND logical_date = $2',
        [dag.id, planned.logicalDate.getTime()],
      );
      if (!run) return;
      await tx.execute('UPDATE dag_runs SET backfill_id = $1 WHERE id = $2', [id, run.id]);
      if (planned.action === 'rerun') await clearInTransaction(tx, run.id, undefined);
    });
  }
  // Only now may it finish: a scheduler looking earlier would see a backfill with no runs yet.
  await db.execute("UPDATE backfills SET state = 'running' WHERE id = $1", [id]);
  await finishBackfills(db, now);
  return { id, plan };
}

export interface BackfillProgress {
  readonly id: number;
  readonly state: string;
  readonly total: number;
  readonly success: number;
  readonly failed: number;
  readonly running: number;
  readonly queued: number;
}

export async function backfillProgress(db: Db, id: number): Promise<BackfillProgress | undefined> {
  const [backfill] = await db.query<{ state: string }>('SELECT state FROM backfills WHERE id = $1', [id]);
  if (!backfill) return undefined;
  const counts = new Map(
    (
      await db.query<{ state: string; n: number }>(
        'SELECT state, COUNT(*) AS n FROM dag_runs WHERE backfill_id = $1 GROUP BY state',
        [id],
      )
    ).map((r) => [r.state, Number(r.n)]),
  );
  const get = (s: string) => counts.get(s) ?? 0;
  return {
    id,
    state: backfill.state,
    total: [...counts.values()].reduce((a, b) => a + b, 0),
    success: get('success'),
    failed: get('failed'),
    running: get('running'),
    queued: get('queued'),
  };
}

/** Marks running backfills whose runs have all ended as done (or failed when a run failed). */
export async function finishBackfills(db: Db, now: number): Promise<void> {
  await db.execute(
    `UPDATE backfills SET state = CASE WHEN EXISTS (SELECT 1 FROM dag_runs r WHERE r.backfill_id = backfills.id AND r.state = 'failed')
       THEN 'failed' ELSE 'success' END, ended_at = $1
     WHERE state = 'running' AND NOT EXISTS (
       SELECT 1 FROM dag_runs r WHERE r.backfill_id = backfills.id AND r.state IN ('queued', 'running'))`,
    [now],
  );
}

/** Cancels a backfill: its runs not started yet are deleted; running ones finish. */
export async function cancelBackfill(db: Db, id: number, now: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const changed = await tx.execute(
      "UPDATE backfills SET state = 'cancelled', ended_at = $1 WHERE id = $2 AND state IN ('creating', 'running')",
      [now, id],
    );
    if (changed === 0) return false;
    await tx.execute(
      "DELETE FROM dag_runs WHERE backfill_id = $1 AND state = 'queued' AND started_at IS NULL",
      [id],
    );
    // A run cleared to be reprocessed, not started again: it ends as failed, its history kept.
    await tx.execute(
      "UPDATE dag_runs SET state = 'failed', ended_at = $1 WHERE backfill_id = $2 AND state = 'queued'",
      [now, id],
    );
    return true;
  });
}
