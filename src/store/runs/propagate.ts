/**
 * A run's task instances made ready, upstream_failed or skipped as their upstream tasks end,
 * written down inside the transaction that ended them. Each task instance keeps counts of its
 * upstream tasks by how they ended; the rules that read them are src/lifecycle/dependencies.ts.
 */
import { isTriggerRule } from '../../dag/index.ts';
import {
  decide,
  DEFAULT_TRIGGER_RULE,
  graphFromDownstream,
  pastAllows,
  type PreviousTask,
  type TaskGraph,
  type TaskState,
  upstreamDeltas,
  type TaskEnd,
  type UpstreamDelta,
  type WaitingTask,
} from '../../lifecycle/index.ts';
import { placeholders, QUEUE_CHANNEL, type Db, type DbSession } from '../db/index.ts';

/** The task instances that changed state. */
export interface Propagated {
  readonly ready: string[];
  readonly upstreamFailed: string[];
  readonly skipped: string[];
}

interface CountedRow {
  task_id: string;
  state: string;
  upstream_total: number;
  upstream_done: number;
  upstream_success: number;
  upstream_skipped: number;
  upstream_failed: number;
  downstream: string;
  trigger_rule: string;
  depends_on_past: number;
  wait_for_downstream: number;
}

const COUNTED =
  'task_id, state, upstream_total, upstream_done, upstream_success, upstream_skipped, upstream_failed, downstream, trigger_rule, depends_on_past, wait_for_downstream';

/**
 * Counts the ends of these tasks of run `runPk` in their downstream tasks' rows and decides the
 * downstream tasks still waiting: the end of a try makes its downstream ready in its own
 * transaction. What ends at once (upstream_failed, skipped) is counted in turn, down the graph.
 */
export async function countEnds(
  tx: DbSession,
  runPk: number,
  ends: readonly TaskEnd[],
  now: number,
): Promise<Propagated> {
  const changed: Propagated = { ready: [], upstreamFailed: [], skipped: [] };
  await cascade(tx, runPk, ends, now, changed);
  return changed;
}

/**
 * Decides every waiting task of run `runPk` from the counts it already has: at the start of a run
 * (the tasks without upstream are ready) and of a cleared one; the tasks made ready notify (apply).
 */
export async function decideWaiting(tx: DbSession, runPk: number, now: number): Promise<Propagated> {
  const changed: Propagated = { ready: [], upstreamFailed: [], skipped: [] };
  const rows = await tx.query<CountedRow>(
    `SELECT ${COUNTED} FROM task_instances WHERE run_pk = $1 AND state = 'scheduled'`,
    [runPk],
  );
  await cascade(tx, runPk, await apply(tx, runPk, rows.map(waitingOf), now, changed), now, changed);
  return changed;
}

async function cascade(
  tx: DbSession,
  runPk: number,
  ends: readonly TaskEnd[],
  now: number,
  changed: Propagated,
): Promise<void> {
  for (let frontier = ends; frontier.length > 0;) {
    const rows = await addToCounts(tx, runPk, upstreamDeltas(frontier));
    const waiting = rows.filter((r) => r.state === 'scheduled').map(waitingOf);
    frontier = await apply(tx, runPk, waiting, now, changed);
  }
}

function waitingOf(row: CountedRow): WaitingTask {
  return {
    taskId: row.task_id,
    counts: {
      total: Number(row.upstream_total),
      done: Number(row.upstream_done),
      success: Number(row.upstream_success),
      skipped: Number(row.upstream_skipped),
      failed: Number(row.upstream_failed),
    },
    downstream: JSON.parse(row.downstream) as string[],
    triggerRule: isTriggerRule(row.trigger_rule) ? row.trigger_rule : DEFAULT_TRIGGER_RULE,
    past: Number(row.depends_on_past)
      ? { waitForDownstream: Boolean(Number(row.wait_for_downstream)) }
      : undefined,
  };
}

/** Adds each task's delta to its counts, one statement per distinct delta; returns the rows after. */
async function addToCounts(
  tx: DbSession,
  runPk: number,
  deltas: ReadonlyMap<string, UpstreamDelta>,
): Promise<CountedRow[]> {
  const groups = new Map<string, { delta: UpstreamDelta; ids: string[] }>();
  for (const [id, delta] of deltas) {
    const key = `${delta.done},${delta.success},${delta.skipped},${delta.failed}`;
    const group = groups.get(key) ?? { delta, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  }
  const rows: CountedRow[] = [];
  for (const { delta, ids } of groups.values()) {
    rows.push(
      ...(await tx.query<CountedRow>(
        `UPDATE task_instances SET upstream_done = upstream_done + $2, upstream_success = upstream_success + $3,
           upstream_skipped = upstream_skipped + $4, upstream_failed = upstream_failed + $5
         WHERE run_pk = $1 AND task_id IN (${placeholders(ids.length, 6)})
         RETURNING ${COUNTED}`,
        [runPk, delta.done, delta.success, delta.skipped, delta.failed, ...ids],
      )),
    );
  }
  return rows;
}

/** Writes what the waiting tasks become; returns those that ended at once, to count next. */
async function apply(
  tx: DbSession,
  runPk: number,
  waiting: readonly WaitingTask[],
  now: number,
  changed: Propagated,
): Promise<TaskEnd[]> {
  const decided = decide(waiting);
  const ended = decided.ended;
  const ready = await readyByThePast(tx, runPk, decided.ready, waiting);
  if (ready.length > 0) {
    // On PostgreSQL the statement that makes tasks ready wakes the listening workers itself (sent
    // on commit; one notification however many rows): no round trip of its own.
    const queued = `UPDATE task_instances SET state = 'queued', ready_at = $2
       WHERE run_pk = $1 AND state = 'scheduled' AND task_id IN (${placeholders(ready.length, 3)})
       RETURNING task_id`;
    const rows = await tx.query<{ task_id: string }>(
      tx.dialect === 'postgres'
        ? `WITH queued AS (${queued}) SELECT task_id, pg_notify('${QUEUE_CHANNEL}', '') FROM queued`
        : queued,
      [runPk, now, ...ready],
    );
    changed.ready.push(...rows.map((r) => r.task_id));
  }
  const next: TaskEnd[] = [];
  for (const state of ['upstream_failed', 'skipped'] as const) {
    const ids = ended.filter((e) => e.state === state).map((e) => e.taskId);
    if (ids.length === 0) continue;
    const rows = await tx.query<{ task_id: string; downstream: string }>(
      `UPDATE task_instances SET state = $2, ended_at = $3
       WHERE run_pk = $1 AND state = 'scheduled' AND task_id IN (${placeholders(ids.length, 4)})
       RETURNING task_id, downstream`,
      [runPk, state, now, ...ids],
    );
    (state === 'skipped' ? changed.skipped : changed.upstreamFailed).push(...rows.map((r) => r.task_id));
    next.push(...rows.map((r) => ({ state, downstream: JSON.parse(r.downstream) as string[] })));
  }
  return next;
}

/**
 * Of the tasks their trigger rules made ready, those whose past allows them to run (pastAllows,
 * for the tasks that depend on the past); the others stay scheduled until their previous run's
 * instance ends well (the scheduler looks again, releaseHeldTasks).
 */
async function readyByThePast(
  tx: DbSession,
  runPk: number,
  ready: readonly string[],
  waiting: readonly WaitingTask[],
): Promise<string[]> {
  const gated = new Map(
    waiting.filter((w) => w.past).map((w) => [w.taskId, w.past?.waitForDownstream ?? false]),
  );
  if (![...gated.keys()].some((id) => ready.includes(id))) return [...ready];
  const allowed: string[] = [];
  for (const id of ready) {
    const waitForDownstream = gated.get(id);
    if (waitForDownstream === undefined) allowed.push(id);
    else if (pastAllows(await previousInstance(tx, runPk, id), waitForDownstream)) allowed.push(id);
  }
  return allowed;
}

/**
 * The same task in the interval run before `runPk` (by logical date; its range run's task when one
 * covered it), with its downstream tasks' states.
 */
async function previousInstance(
  tx: DbSession,
  runPk: number,
  taskId: string,
): Promise<PreviousTask | undefined> {
  const [previous] = await tx.query<{ run_pk: number; state: TaskState; downstream: string }>(
    `SELECT ti.run_pk, ti.state, ti.downstream FROM task_instances ti
     JOIN dag_runs r ON COALESCE(r.range_run_pk, r.id) = ti.run_pk JOIN dag_runs me ON me.id = $1
     WHERE r.dag_id = me.dag_id AND r.kind = 'interval' AND r.logical_date < me.logical_date AND ti.task_id = $2
     ORDER BY r.logical_date DESC LIMIT 1`,
    [runPk, taskId],
  );
  if (!previous) return undefined;
  const below = JSON.parse(previous.downstream) as string[];
  const states =
    below.length === 0
      ? []
      : await tx.query<{ state: TaskState }>(
          `SELECT state FROM task_instances WHERE run_pk = $1 AND task_id IN (${placeholders(below.length, 2)})`,
          [previous.run_pk, ...below],
        );
  return { state: previous.state, downstream: states.map((s) => s.state) };
}

/**
 * Decides again the waiting tasks of running runs that depend on the past: what their previous
 * run's instance held back may run now (it ended, was cleared and succeeded, or was marked).
 * Returns how many became ready.
 */
export async function releaseHeldTasks(db: Db, now: number): Promise<number> {
  const runs = await db.query<{ run_pk: number }>(
    `SELECT DISTINCT ti.run_pk FROM task_instances ti JOIN dag_runs r ON r.id = ti.run_pk
     WHERE ti.state = 'scheduled' AND ti.depends_on_past = 1 AND r.state = 'running'`,
  );
  let ready = 0;
  for (const { run_pk: runPk } of runs) {
    ready += await db.transaction(async (tx) => {
      const decided = await decideWaiting(tx, Number(runPk), now);
      return decided.ready.length;
    });
  }
  return ready;
}

/**
 * Skips these waiting tasks of run `runPk` at once (what a branch or a short circuit did not
 * choose); returns their ends, for countEnds to count below them.
 */
export async function skipTasks(
  tx: DbSession,
  runPk: number,
  taskIds: readonly string[],
  now: number,
): Promise<TaskEnd[]> {
  if (taskIds.length === 0) return [];
  const rows = await tx.query<{ task_id: string; downstream: string }>(
    `UPDATE task_instances SET state = 'skipped', ended_at = $2
     WHERE run_pk = $1 AND state = 'scheduled' AND task_id IN (${placeholders(taskIds.length, 3)})
     RETURNING task_id, downstream`,
    [runPk, now, ...taskIds],
  );
  return rows.map((r) => ({ state: 'skipped', downstream: JSON.parse(r.downstream) as string[] }));
}

/** The graph of run `runPk`, from its task instances. */
export async function runGraph(tx: DbSession, runPk: number): Promise<TaskGraph> {
  const rows = await tx.query<{ task_id: string; downstream: string }>(
    'SELECT task_id, downstream FROM task_instances WHERE run_pk = $1',
    [runPk],
  );
  return graphFromDownstream(
    rows.map((r) => ({ taskId: r.task_id, downstream: JSON.parse(r.downstream) as string[] })),
  );
}
