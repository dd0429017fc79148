import { ACTIVE_TASK_STATES, runOutcome, type RunState, type TaskState } from '../../lifecycle/index.ts';
import { sqlList, type DbSession } from '../db/index.ts';
import { settleRange } from './range-runs.ts';

const ACTIVE = sqlList(ACTIVE_TASK_STATES);

/**
 * Takes the row lock of run `runPk` (on PostgreSQL; SQLite runs one writing transaction at a time),
 * its backfill's first, in the order clear and mark take them: its backfill, the run, then its task
 * instances (the end of a try locks the run, then its task, in one statement: end-try.ts). Held
 * until commit: of two tries of a run ending at once, the second waits for the first's commit and
 * then sees its task ended, so the last one to end always ends the run.
 * NO KEY UPDATE, not UPDATE: a task instance updated twice in one transaction (made ready after its
 * upstream count rose) has its foreign key checked, which share-locks this row's key; that must
 * not wait on another ender's lock.
 */
export async function lockRun(tx: DbSession, runPk: number): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await tx.query(
    'SELECT b.id FROM backfills b JOIN dag_runs r ON r.backfill_id = b.id WHERE r.id = $1 FOR UPDATE OF b',
    [runPk],
  );
  await tx.query('SELECT id FROM dag_runs WHERE id = $1 FOR NO KEY UPDATE', [runPk]);
}

/**
 * Ends a running run whose task instances have all ended, in the state src/lifecycle/run-outcome.ts
 * gives; returns that state, or undefined while the run goes on. The caller holds the run's row
 * lock (lockRun, or an update of the row in its transaction). A range run passes its end on to the
 * interval runs it covers (store/runs/range-runs.ts).
 */
export async function completeRunIfDone(
  tx: DbSession,
  runPk: number,
  now: number,
): Promise<RunState | undefined> {
  // Most ends are not the run's last: one task still to run says so without counting them all.
  const [active] = await tx.query(
    `SELECT 1 AS active FROM task_instances WHERE run_pk = $1 AND state IN (${ACTIVE}) LIMIT 1`,
    [runPk],
  );
  if (active) return undefined;
  const counts = await tx.query<{ state: TaskState; leaf: number | boolean; n: number }>(
    `SELECT state, CASE WHEN downstream = '[]' THEN 1 ELSE 0 END AS leaf, COUNT(*) AS n
     FROM task_instances WHERE run_pk = $1 GROUP BY state, CASE WHEN downstream = '[]' THEN 1 ELSE 0 END`,
    [runPk],
  );
  const outcome = runOutcome(
    counts.map((c) => ({ state: c.state, leaf: Number(c.leaf) === 1, count: Number(c.n) })),
  );
  if (outcome === undefined) return undefined;
  const [ended] = await tx.query<{ state: RunState; kind: string }>(
    "UPDATE dag_runs SET state = $2, ended_at = $3 WHERE id = $1 AND state = 'running' RETURNING state, kind",
    [runPk, outcome, now],
  );
  // A range run's end is its covered intervals' (or, failed, its split), in the same transaction.
  if (ended?.kind === 'range') await settleRange(tx, runPk, outcome, now);
  // The interval read its objects again: a stale mark is over (stale-runs.ts).
  else if (ended?.state === 'success')
    await tx.execute(
      'UPDATE dag_runs SET stale_at = NULL, stale_objects = NULL WHERE id = $1 AND stale_at IS NOT NULL',
      [runPk],
    );
  return ended?.state;
}
