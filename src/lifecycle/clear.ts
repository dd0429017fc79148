/**
 * Clearing (Airflow's "clear"): which task instances of a run go back to scheduled to run again,
 * and what their upstream counts are afterwards.
 */
import { upstreamCounts, type UpstreamCounts } from './dependencies.ts';
import type { TaskState } from './states.ts';
import { below, type TaskGraph } from './task-graph.ts';

export interface ClearOptions {
  /** Also every task below the chosen ones. @default false */
  readonly downstream?: boolean;
  /** Only those that did not succeed. @default false */
  readonly onlyFailed?: boolean;
}

/**
 * The task ids to clear: those named (every task when none are), with `downstream` every task
 * below them, with `onlyFailed` only those not in success. A running task is never cleared: its
 * try goes on.
 */
export function tasksToClear(
  graph: TaskGraph,
  states: ReadonlyMap<string, TaskState>,
  named: readonly string[] | undefined,
  options: ClearOptions = {},
): string[] {
  const chosen = new Set(named ?? graph.keys());
  if (options.downstream) for (const id of below(graph, chosen)) chosen.add(id);
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
