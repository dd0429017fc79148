/**
 * Branching: the tasks a branch or a short circuit skips when it succeeds, before the trigger
 * rules spread the skips further down (Airflow's skip_all_except and ShortCircuitOperator).
 */
import type { TaskOutcome } from '../dag/index.ts';
import { below, type TaskGraph } from './task-graph.ts';

/** The tasks `taskId`'s successful outcome skips at once: none unless it branched or short-circuited. */
export function skippedBy(
  graph: TaskGraph,
  taskId: string,
  outcome: Pick<TaskOutcome, 'follow' | 'shortCircuit'>,
): string[] {
  if (outcome.shortCircuit) return [...below(graph, [taskId])];
  if (!outcome.follow) return [];
  const follow = new Set(outcome.follow);
  return (graph.get(taskId)?.downstream ?? []).filter((id) => !follow.has(id));
}

/** A branch's choices that are not its direct downstream tasks (the try fails naming them). */
export function notDownstream(downstream: ReadonlySet<string>, follow: readonly string[]): string[] {
  return follow.filter((id) => !downstream.has(id));
}
