import type { Dag } from '../../dag/index.ts';
import {
  backfillOutcome,
  planBackfill as planRuns,
  type PlannedRun,
  type Reprocess,
  type RunState,
} from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';
import { clearInTransaction } from './clear.ts';
import { createRun } from './create-run.ts';

export interface BackfillRequest {
  readonly start: Date;
  /** Exclusive, like a data interval. */
  readonly end: Date;
  readonly reprocess: Reprocess;
  readonly maxActiveRuns: number;
}

/** The runs a backfill would make, without making them (`--dry-run`): src/lifecycle's plan. */
export async function planBackfill(db: Db, dag: Dag, request: BackfillRequest): Promise<PlannedRun[]> {
  const existing = await db.query<{ logical_date: number; state: RunState }>(
    'SELECT logical_date, state FROM dag_runs WHERE dag_id = $1 AND logical_date >= $2 AND logical_date < $3',
    [dag.id, request.start.getTime(), request.end.getTime()],
  );
  return planRuns(dag, request, new Map(existing.map((r) => [Number(r.logical_date), r.state])));
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

/** Ends the running backfills whose runs have all ended, as src/lifecycle/run-outcome.ts decides. */
export async function finishBackfills(db: Db, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    // Locked first, as a clear of one of their runs locks it first (runs/clear.ts): a run cleared
    // while this looks is either seen queued here, or clears after and starts the backfill again.
    const running = await tx.query<{ id: number }>(
      `SELECT id FROM backfills WHERE state = 'running' ORDER BY id${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
    );
    if (running.length === 0) return;
    const counts = await tx.query<{ backfill_id: number; state: RunState; n: number }>(
      `SELECT r.backfill_id, r.state, COUNT(*) AS n FROM dag_runs r JOIN backfills b ON b.id = r.backfill_id
       WHERE b.state = 'running' GROUP BY r.backfill_id, r.state`,
    );
    for (const { id } of running) {
      const runs = counts
        .filter((c) => Number(c.backfill_id) === Number(id))
        .map((c) => ({ state: c.state, count: Number(c.n) }));
      const outcome = backfillOutcome(runs);
      if (outcome === undefined) continue;
      await tx.execute("UPDATE backfills SET state = $2, ended_at = $3 WHERE id = $1 AND state = 'running'", [
        id,
        outcome,
        now,
      ]);
    }
  });
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
