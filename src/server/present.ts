import type { BackfillRow, TaskInstanceRow, TryRow } from '../store/read/index.ts';
import { staleObjectsOf, type RunRow } from '../store/runs/index.ts';
import type * as Api from './api/types.ts';
import { intervalsPerRunOf } from '../lifecycle/index.ts';

/** Rows of the metadata DB as the API shows them: ISO dates, booleans, seconds. */

export const iso = (ms: number | string | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString();

const seconds = (start: number | null, end: number | null): number | null =>
  start === null || end === null ? null : (Number(end) - Number(start)) / 1000;

export function presentRun(run: RunRow & { readonly range_run_id?: string | null }): Api.DagRun {
  return {
    dag_id: run.dag_id,
    dag_run_id: run.run_id,
    run_type: run.run_type,
    state: run.state,
    logical_date: iso(run.logical_date) as string,
    data_interval_start: iso(run.interval_start) as string,
    data_interval_end: iso(run.interval_end) as string,
    conf: JSON.parse(run.conf) as Record<string, unknown>,
    backfill_id: run.backfill_id === null ? null : Number(run.backfill_id),
    queued_at: iso(run.created_at) as string,
    start_date: iso(run.started_at),
    end_date: iso(run.ended_at),
    duration: seconds(run.started_at, run.ended_at),
    dag_version: run.dag_version,
    marked_by: run.marked_by ?? null,
    marked_at: iso(run.marked_at ?? null),
    kind: run.kind,
    intervals: Number(run.intervals),
    range_run_id: run.range_run_id ?? null,
    deadline_missed_at: iso(run.deadline_missed_at ?? null),
    stale: (run.stale_at ?? null) !== null,
    stale_objects: staleObjectsOf(run.stale_objects).map((o) => ({
      table: o.table,
      key: o.key,
      read_version: o.read,
      current_version: o.now,
    })),
  };
}

export function presentTaskInstance(run: RunRow, ti: TaskInstanceRow, operator: string): Api.TaskInstance {
  return {
    dag_id: run.dag_id,
    dag_run_id: run.run_id,
    task_id: ti.task_id,
    state: ti.state,
    try_number: Number(ti.try_number),
    max_tries: Number(ti.retries) + 1,
    operator,
    worker: ti.worker,
    start_date: iso(ti.started_at),
    end_date: iso(ti.ended_at),
    duration: seconds(ti.started_at, ti.ended_at),
    marked_by: ti.marked_by ?? null,
    marked_at: iso(ti.marked_at ?? null),
  };
}

export function presentTry(row: TryRow): Api.TaskTry {
  return {
    try_number: Number(row.try_number),
    state: row.state,
    worker: row.worker,
    start_date: iso(row.started_at) as string,
    end_date: iso(row.ended_at),
    duration: seconds(row.started_at, row.ended_at),
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    outcome: row.outcome ? (JSON.parse(row.outcome) as Record<string, unknown>) : null,
    output: row.output === null ? null : (JSON.parse(row.output) as unknown),
  };
}

export function presentBackfill(row: BackfillRow, progress: Api.Backfill['progress']): Api.Backfill {
  return {
    id: Number(row.id),
    dag_id: row.dag_id,
    from_date: iso(row.start_date) as string,
    to_date: iso(row.end_date) as string,
    reprocess_behavior: row.reprocess as Api.Reprocess,
    max_active_runs: Number(row.max_active_runs),
    max_intervals_per_run: intervalsPerRunOf(row.max_intervals_per_run),
    state: row.state,
    created_at: iso(row.created_at) as string,
    completed_at: iso(row.ended_at),
    progress,
  };
}
