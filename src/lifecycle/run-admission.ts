/**
 * Which queued runs may start: each DAG, and each backfill, has at most its limit of runs running
 * at once; scheduled and manual runs go before backfill runs, then the oldest logical date first.
 */
import type { RunType } from '../dag/index.ts';

/** The queue's order of a run's task instances: lower first, so backfills wait for fresh runs. */
export const RUN_PRIORITY: Readonly<Record<RunType, number>> = { scheduled: 0, manual: 0, backfill: 10 };

export interface QueuedRun {
  readonly id: number;
  readonly dagId: string;
  readonly runType: RunType;
  readonly logicalDate: number;
  readonly backfillId: number | null;
  /** The DAG's max_active_runs. */
  readonly dagLimit: number;
  /** The backfill's own max_active_runs, if it is a backfill's run. */
  readonly backfillLimit: number | null;
}

export interface RunningCounts {
  readonly byDag: ReadonlyMap<string, number>;
  readonly byBackfill: ReadonlyMap<number, number>;
}

/** The ids of the queued runs to start now, in the order they start. */
export function runsToStart(queued: readonly QueuedRun[], running: RunningCounts): number[] {
  const byDag = new Map(running.byDag);
  const byBackfill = new Map(running.byBackfill);
  const order = [...queued].sort(
    (a, b) =>
      RUN_PRIORITY[a.runType] - RUN_PRIORITY[b.runType] || a.logicalDate - b.logicalDate || a.id - b.id,
  );
  const start: number[] = [];
  for (const run of order) {
    const dagRunning = byDag.get(run.dagId) ?? 0;
    if (dagRunning >= run.dagLimit) continue;
    if (run.backfillId !== null) {
      const backfillRunning = byBackfill.get(run.backfillId) ?? 0;
      if (run.backfillLimit !== null && backfillRunning >= run.backfillLimit) continue;
      byBackfill.set(run.backfillId, backfillRunning + 1);
    }
    byDag.set(run.dagId, dagRunning + 1);
    start.push(run.id);
  }
  return start;
}
