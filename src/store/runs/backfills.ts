import type { Dag } from '../../dag/index.ts';
import {
  backfillOutcome,
  groupRanges,
  intervalsPerRunColumn,
  planBackfill as planRuns,
  type IntervalsPerRun,
  type PlannedRun,
  type Reprocess,
  type RunState,
} from '../../lifecycle/index.ts';
import type { Db } from '../db/index.ts';
import { clearInTransaction } from './clear.ts';
import { createRun } from './create-run.ts';
import { createRangeRun } from './range-runs.ts';
import { staleLogicalDates } from './stale-runs.ts';

export interface BackfillRequest {
  readonly start: Date;
  /** Exclusive, like a data interval. */
  readonly end: Date;
  readonly reprocess: Reprocess;
  readonly maxActiveRuns: number;
  /** Intervals one execution covers at most (range runs). @default the DAG's backfillPolicy */
  readonly maxIntervalsPerRun?: IntervalsPerRun;
}

/** The runs a backfill would make, without making them (`--dry-run`): src/lifecycle's plan. */
export async function planBackfill(db: Db, dag: Dag, request: BackfillRequest): Promise<PlannedRun[]> {
  const existing = await db.query<{ logical_date: number; state: RunState }>(
    "SELECT logical_date, state FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date >= $2 AND logical_date < $3",
    [dag.id, request.start.getTime(), request.end.getTime()],
  );
  const stale =
    request.reprocess === 'stale'
      ? await staleLogicalDates(db, dag.id, request.start.getTime(), request.end.getTime())
      : undefined;
  return planRuns(dag, request, new Map(existing.map((r) => [Number(r.logical_date), r.state])), stale);
}

/**
 * Records a backfill and its runs for the scheduler to execute: new runs are created, runs to
 * reprocess are cleared, unfinished runs of an interrupted backfill are adopted. Consecutive
 * intervals to run go together into range runs of at most maxIntervalsPerRun (src/lifecycle's
 * groupRanges), each made in one transaction. Returns its id.
 */
export async function createBackfill(
  db: Db,
  dag: Dag,
  request: BackfillRequest,
  now: number,
): Promise<{ id: number; plan: PlannedRun[] }> {
  const plan = await planBackfill(db, dag, request);
  const perRun = request.maxIntervalsPerRun ?? dag.backfillPolicy.maxIntervalsPerRun;
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO backfills (dag_id, start_date, end_date, reprocess, max_active_runs, max_intervals_per_run, state, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'creating', $7) RETURNING id`,
    [
      dag.id,
      request.start.getTime(),
      request.end.getTime(),
      request.reprocess,
      request.maxActiveRuns,
      intervalsPerRunColumn(perRun),
      now,
    ],
  );
  const id = Number((row as { id: number }).id);
  const ranged = new Set<number>();
  for (const range of groupRanges(plan, perRun)) {
    if (range.intervals.length < 2) continue;
    for (const logicalDate of range.intervals) ranged.add(logicalDate);
    await db.transaction(async (tx) => {
      const existing = await tx.query<{ id: number; logical_date: number }>(
        `SELECT id, logical_date FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date >= $2 AND logical_date <= $3`,
        [dag.id, range.intervals[0] as number, range.intervals[range.intervals.length - 1] as number],
      );
      const pks = new Map(existing.map((r) => [Number(r.logical_date), Number(r.id)]));
      const covered = range.intervals.map((logicalDate) => ({
        logicalDate,
        existingPk: pks.get(logicalDate),
      }));
      await createRangeRun(tx, dag, id, covered, now);
    });
  }
  for (const planned of plan) {
    if (ranged.has(planned.logicalDate.getTime())) continue;
    if (planned.action === 'create') {
      const created = await createRun(db, dag, dag.runFor(planned.logicalDate, 'backfill'), now, id);
      if (created !== undefined) continue;
    }
    if (planned.action === 'skip') continue;
    await db.transaction(async (tx) => {
      const [run] = await tx.query<{ id: number; state: string }>(
        "SELECT id, state FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date = $2",
        [dag.id, planned.logicalDate.getTime()],
      );
      if (!run) return;
      await tx.execute('UPDATE dag_runs SET backfill_id = $1 WHERE id = $2', [id, run.id]);
      // An unfinished run a range run covers: the range comes along, so that this backfill's own
      // engine (`dags backfill` with no scheduler alive) starts and claims it, and its splits.
      if (planned.action === 'adopt')
        await tx.execute(
          `UPDATE dag_runs SET backfill_id = $1 WHERE state IN ('queued', 'running')
             AND id = (SELECT range_run_pk FROM dag_runs WHERE id = $2)`,
          [id, run.id],
        );
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
       WHERE b.state = 'running' AND r.kind = 'interval' GROUP BY r.backfill_id, r.state`,
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
    // Interval runs a range run not started yet was to cover (after a split they are running) end
    // failed with it; then its rows go as a run's do.
    await tx.execute(
      `UPDATE dag_runs SET state = 'failed', ended_at = $1 WHERE backfill_id = $2 AND state = 'running'
         AND range_run_pk IN (SELECT id FROM dag_runs WHERE backfill_id = $2 AND kind = 'range' AND state = 'queued')`,
      [now, id],
    );
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
