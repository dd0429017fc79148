import type { Dag, RunInfo } from '../../dag/index.ts';
import { RUN_PRIORITY } from '../../lifecycle/index.ts';
import { specAndVersion } from './dag-version.ts';
import type { Db, DbSession } from '../db/index.ts';

/**
 * Creates a run and its task instances, queued until the scheduler starts it (max_active_runs).
 * Returns undefined when the DAG already has a run at that logical date: two schedulers creating
 * the same run at once create it once.
 */
export async function createRun(
  db: Db,
  dag: Dag,
  run: RunInfo,
  now: number,
  backfillId: number | null = null,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [created] = await tx.query<{ id: number }>(
      `INSERT INTO dag_runs (dag_id, run_id, run_type, logical_date, interval_start, interval_end, state, conf, backfill_id, created_at, dag_version)
       VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        run.dagId,
        run.runId,
        run.runType,
        run.logicalDate.getTime(),
        run.dataInterval.start.getTime(),
        run.dataInterval.end.getTime(),
        JSON.stringify(run.conf),
        backfillId,
        now,
        specAndVersion(dag).version,
      ],
    );
    if (!created) return undefined;
    await insertTaskInstances(tx, dag, created.id, RUN_PRIORITY[run.runType]);
    return created.id;
  });
}

/** The DAG's tasks as scheduled task instances of run `runPk`. */
export async function insertTaskInstances(
  tx: DbSession,
  dag: Dag,
  runPk: number,
  priority: number,
): Promise<void> {
  // Multi-row INSERTs, a slice at a time under the engines' parameter limits: a DAG of 500 tasks
  // is 1 round trip, not 500.
  const tasks = [...dag.tasks.values()];
  for (let start = 0; start < tasks.length; start += 1000) {
    const slice = tasks.slice(start, start + 1000);
    await tx.execute(
      `INSERT INTO task_instances (run_pk, dag_id, task_id, state, try_number, retries, failures, retry_delay_ms,
         retry_exponential, max_retry_delay_ms, timeout_ms, priority, upstream_total, upstream_done, downstream, trigger_rule,
         depends_on_past, wait_for_downstream, pool, pool_slots, priority_weight)
       VALUES ${slice
         .map((_, i) => {
           const p = (k: number) => `$${i * 14 + k + 4}`;
           return `($1, $2, ${p(0)}, 'scheduled', 0, ${p(1)}, 0, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, $3, ${p(6)}, 0, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, ${p(12)}, ${p(13)})`;
         })
         .join(', ')}`,
      [
        runPk,
        dag.id,
        priority,
        ...slice.flatMap((task) => {
          const s = task.settings;
          return [
            task.id,
            s.retries,
            s.retryDelayMs,
            s.retryExponentialBackoff ? 1 : 0,
            s.maxRetryDelayMs,
            s.timeoutMs,
            task.upstream.size,
            JSON.stringify([...task.downstream]),
            s.triggerRule,
            s.dependsOnPast ? 1 : 0,
            s.waitForDownstream ? 1 : 0,
            s.pool,
            s.poolSlots,
            s.priorityWeight,
          ];
        }),
      ],
    );
  }
}
