import { ACTIVE_TASK_STATES, runOutcome, type RunState, type TaskState } from '../../lifecycle/index.ts';
import { sqlList, type DbSession } from '../db/index.ts';
import { settleRange } from './range-runs.ts';

const ACTIVE = sqlList(ACTIVE_TASK_STATES);

/**
 * Ends a running run whose task instances have all ended, in the state src/lifecycle/run-outcome.ts
 * gives; returns that state, or undefined while the run goes on. A range run passes its end on to
 * the interval runs it covers (store/runs/range-runs.ts).
 */
export async function completeRunIfDone(
  tx: DbSession,
  runPk: number,
  now: number,
): Promise<RunState | undefined> {
  // The run's row is locked until this transaction commits: of two tries of a run ending at once,
  // the second to get here waits for the first's commit and then sees its task ended, so the last
  // one to end always ends the run. (SQLite runs one writing transaction at a time anyway.)
  // NO KEY UPDATE, not UPDATE: a task instance updated twice in one transaction (made ready after
  // its upstream count rose) has its foreign key checked, which share-locks this row's key; two
  // such ends asking FOR UPDATE then deadlock. NO KEY UPDATE still excludes the other enders.
  if (tx.dialect === 'postgres')
    await tx.query('SELECT id FROM dag_runs WHERE id = $1 FOR NO KEY UPDATE', [runPk]);
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
  return ended?.state;
}
