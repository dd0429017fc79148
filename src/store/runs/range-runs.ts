/**
 * Range runs as the engine writes them (DESIGN §5.1): a row of dag_runs of kind 'range' holds the
 * task instances that run once over the union of consecutive intervals; each covered interval run
 * links to it (range_run_pk) and takes its state when it ends. A failed range is split in halves
 * (src/lifecycle/range-runs.ts), each a new range run, down to single intervals.
 */
import { rangeRunIdFor, type Dag } from '../../dag/index.ts';
import { RUN_PRIORITY, splitRange, type RunState } from '../../lifecycle/index.ts';
import type { DbSession } from '../db/index.ts';
import { specAndVersion } from './dag-version.ts';
import { insertTaskInstances } from './create-run.ts';

/** A covered interval: its run's pk (an existing run reprocessed) or none yet (to create). */
export interface CoveredInterval {
  readonly logicalDate: number;
  readonly existingPk?: number;
}

/**
 * Creates a range run over `covered` (consecutive, in order) for backfill `backfillId`: its row,
 * its task instances from the DAG, and the covered interval runs (new ones created, existing ones
 * queued again), all linked to it. Returns the range run's pk.
 */
export async function createRangeRun(
  tx: DbSession,
  dag: Dag,
  backfillId: number,
  covered: readonly CoveredInterval[],
  now: number,
): Promise<number> {
  const first = dag.intervalFor(new Date((covered[0] as CoveredInterval).logicalDate));
  const last = dag.intervalFor(new Date((covered[covered.length - 1] as CoveredInterval).logicalDate));
  const version = specAndVersion(dag).version;
  const [range] = await tx.query<{ id: number }>(
    `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf,
       backfill_id, created_at, dag_version, kind, intervals)
     VALUES ($1, $2, 'backfill', $3, $3, $4, 'queued', '{}', $5, $6, $7, 'range', $8) RETURNING id`,
    [
      dag.id,
      rangeRunIdFor(first.start, last.end, backfillId),
      first.start.getTime(),
      last.end.getTime(),
      backfillId,
      now,
      version,
      covered.length,
    ],
  );
  const rangePk = Number((range as { id: number }).id);
  await insertTaskInstances(tx, dag, rangePk, RUN_PRIORITY.backfill);
  const fresh = covered.filter((c) => c.existingPk === undefined);
  // Multi-row INSERTs under the engines' parameter limits: a month of hours is a few round trips.
  for (let start = 0; start < fresh.length; start += 500) {
    const slice = fresh.slice(start, start + 500);
    const rows = slice.flatMap((c) => {
      const interval = dag.intervalFor(new Date(c.logicalDate));
      return [dag.runFor(interval.start, 'backfill').runId, interval.start.getTime(), interval.end.getTime()];
    });
    await tx.execute(
      `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf,
         backfill_id, created_at, dag_version, range_run_pk)
       VALUES ${slice.map((_, i) => `($1, $${i * 3 + 6}, 'backfill', $${i * 3 + 7}, $${i * 3 + 7}, $${i * 3 + 8}, 'queued', '{}', $2, $3, $4, $5)`).join(', ')}`,
      [dag.id, backfillId, now, version, rangePk, ...rows],
    );
  }
  const existing = covered.flatMap((c) => (c.existingPk === undefined ? [] : [c.existingPk]));
  for (let start = 0; start < existing.length; start += 500) {
    const slice = existing.slice(start, start + 500);
    await tx.execute(
      `UPDATE dag_runs SET state = 'queued', ended_at = NULL, backfill_id = $1, range_run_pk = $2
       WHERE id IN (${slice.map((_, i) => `$${i + 3}`).join(', ')})`,
      [backfillId, rangePk, ...slice],
    );
  }
  return rangePk;
}

/** A range run has started: its covered interval runs are running from now. */
export async function startCovered(tx: DbSession, rangePk: number, now: number): Promise<void> {
  await tx.execute(
    "UPDATE dag_runs SET state = 'running', started_at = $2 WHERE range_run_pk = $1 AND state = 'queued'",
    [rangePk, now],
  );
}

/**
 * A range run has ended in `outcome`: on success its covered interval runs succeed; on failure a
 * range of several intervals is split in two new range runs, which take its covered runs over
 * (they stay running), and a range of one interval fails it.
 */
export async function settleRange(
  tx: DbSession,
  rangePk: number,
  outcome: Extract<RunState, 'success' | 'failed'>,
  now: number,
): Promise<void> {
  const covered = await tx.query<{ id: number }>(
    "SELECT id FROM dag_runs WHERE range_run_pk = $1 AND state IN ('queued', 'running') ORDER BY logical_date",
    [rangePk],
  );
  const halves = outcome === 'failed' ? splitRange(covered.map((c) => Number(c.id))) : undefined;
  if (!halves) {
    // Covered intervals that succeed read their objects again: a stale mark is over (stale-runs.ts).
    const fresh = outcome === 'success' ? ', stale_at = NULL, stale_objects = NULL' : '';
    await tx.execute(
      `UPDATE dag_runs SET state = $2, ended_at = $3${fresh} WHERE range_run_pk = $1 AND state IN ('queued', 'running')`,
      [rangePk, outcome, now],
    );
    return;
  }
  for (const half of halves) await splitOff(tx, rangePk, half, now);
}

/** A new range run over some of a failed range's covered runs, its tasks copied fresh from it. */
async function splitOff(
  tx: DbSession,
  parentPk: number,
  runPks: readonly number[],
  now: number,
): Promise<void> {
  const list = (from: number) => runPks.map((_, i) => `$${i + from}`).join(', ');
  const [bounds] = await tx.query<{ first: number; last_end: number }>(
    `SELECT MIN(logical_date) AS first, MAX(interval_end) AS last_end FROM dag_runs WHERE id IN (${list(1)})`,
    runPks,
  );
  const [parent] = await tx.query<{ dag_id: string; backfill_id: number; dag_version: string }>(
    'SELECT dag_id, backfill_id, dag_version FROM dag_runs WHERE id = $1',
    [parentPk],
  );
  if (!bounds || !parent) return;
  const first = Number(bounds.first);
  const lastEnd = Number(bounds.last_end);
  const [child] = await tx.query<{ id: number }>(
    `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf,
       backfill_id, created_at, dag_version, kind, intervals)
     VALUES ($1, $2, 'backfill', $3, $3, $4, 'queued', '{}', $5, $6, $7, 'range', $8) RETURNING id`,
    [
      parent.dag_id,
      rangeRunIdFor(new Date(first), new Date(lastEnd), Number(parent.backfill_id)),
      first,
      lastEnd,
      parent.backfill_id,
      now,
      parent.dag_version,
      runPks.length,
    ],
  );
  const childPk = Number((child as { id: number }).id);
  await copyTaskInstances(tx, parentPk, childPk, 'fresh');
  await tx.execute(`UPDATE dag_runs SET range_run_pk = $1 WHERE id IN (${list(2)})`, [childPk, ...runPks]);
}

const COPIED = `dag_id, task_id, retries, retry_delay_ms, retry_exponential, max_retry_delay_ms, timeout_ms,
  priority, upstream_total, downstream, trigger_rule, depends_on_past, wait_for_downstream, pool, pool_slots, priority_weight`;

/**
 * Copies run `fromPk`'s task instances to run `toPk`: `fresh` (none started: a split range), or
 * `as_they_are` (their states and counts: an interval run taking its range run's tasks for its own).
 */
async function copyTaskInstances(
  tx: DbSession,
  fromPk: number,
  toPk: number,
  how: 'fresh' | 'as_they_are',
): Promise<void> {
  const kept =
    how === 'fresh'
      ? "'scheduled', 0, 0, 0, 0, 0, 0, NULL, NULL"
      : 'state, try_number, failures, upstream_done, upstream_success, upstream_skipped, upstream_failed, started_at, ended_at';
  await tx.execute(
    `INSERT INTO task_instances (run_pk, ${COPIED}, state, try_number, failures, upstream_done, upstream_success,
       upstream_skipped, upstream_failed, started_at, ended_at)
     SELECT $1, ${COPIED}, ${kept} FROM task_instances WHERE run_pk = $2`,
    [toPk, fromPk],
  );
}

/**
 * Before a clear or a mark of an interval run that a range run covered: the run takes its range
 * run's task instances, in their states, for its own and leaves the range, so that what is cleared
 * or marked is this interval's alone. Does nothing for a run with its own task instances.
 */
export async function ownTasks(tx: DbSession, runPk: number): Promise<void> {
  const [row] = await tx.query<{ range_run_pk: number | null }>(
    'SELECT range_run_pk FROM dag_runs WHERE id = $1',
    [runPk],
  );
  if (row?.range_run_pk === null || row?.range_run_pk === undefined) return;
  // Task instances of its own from before the range covered it are history: its tries are kept,
  // and their states become the range's.
  await tx.execute(
    `UPDATE task_instances SET state = r.state, failures = r.failures, upstream_done = r.upstream_done,
       upstream_success = r.upstream_success, upstream_skipped = r.upstream_skipped,
       upstream_failed = r.upstream_failed, started_at = r.started_at, ended_at = r.ended_at
     FROM task_instances r WHERE r.run_pk = $2 AND r.task_id = task_instances.task_id AND task_instances.run_pk = $1`,
    [runPk, Number(row.range_run_pk)],
  );
  const [own] = await tx.query('SELECT 1 AS own FROM task_instances WHERE run_pk = $1 LIMIT 1', [runPk]);
  if (!own) await copyTaskInstances(tx, Number(row.range_run_pk), runPk, 'as_they_are');
  await tx.execute('UPDATE dag_runs SET range_run_pk = NULL WHERE id = $1', [runPk]);
}
