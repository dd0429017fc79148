/**
 * Clearing (Airflow's "clear"): which task instances of a run go back to scheduled to run again,
 * and what their upstream counts are afterwards.
 */
import { upstreamCounts, type UpstreamCounts } from './dependencies.ts';
import type { TaskState } from './states.ts';
import { above, below, type TaskGraph } from './task-graph.ts';

export interface ClearOptions {
  /** Also every task below the chosen ones. @default false */
  readonly downstream?: boolean;
  /** Also every task above the chosen ones. @default false */
  readonly upstream?: boolean;
  /** Only those that did not succeed. @default false */
  readonly onlyFailed?: boolean;
}

/**
 * The task ids to clear: those named (every task when none are), with `downstream` every task
 * below them, with `upstream` every task above them, with `onlyFailed` only those not in success. A running task is never cleared: its
 * try goes on.
 */
export function tasksToClear(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
  named: readonly string[] | undefined,
  options: ClearOptions = {},
): string[] {
  const start = new Set(named ?? graph.keys());
  const chosen = new Set(start);
  if (options.downstream) for (const id of below(graph, start)) chosen.add(id);
  if (options.upstream) for (const id of above(graph, start)) chosen.add(id);
  return [...graph.keys()].filter((id) => {
    if (!chosen.has(id)) return false;
    const state = states.get(id);
    if (state === 'running') return false;
    return !(options.onlyFailed && state === 'success');
  });
}

/** Every task's upstream counts once `cleared` are back to scheduled. */
export function countsAfterClear(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
  cleared: readonly string[],
): Map<string, UpstreamCounts> {
  const after = new Map(states);
  for (const id of cleared) after.set(id, 'scheduled');
  return new Map([...graph.keys()].map((id) => [id, upstreamCounts(graph, after, id)]));
}
