import type { Dag, TriggerRule } from '../dag/index.ts';

/** One task's edges within a run. */
export interface GraphTask {
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  /** @default 'all_success' */
  readonly triggerRule?: TriggerRule;
}

/**
 * The tasks of one run and their edges, by task id: taken from the DAG (in process), or from the
 * task-instance rows of a run, which keep the graph the run was created with.
 */
export type TaskGraph = ReadonlyMap<string, GraphTask>;

/** The DAG's graph; with `only`, just those tasks and the edges between them (`tasks test`). */
export function graphOf(dag: Dag, only?: Iterable<string>): TaskGraph {
  const kept = new Set(only ?? dag.tasks.keys());
  const graph = new Map<string, GraphTask>();
  for (const id of kept) {
    const task = dag.tasks.get(id);
    if (!task) continue;
    graph.set(id, {
      upstream: [...task.upstream].filter((u) => kept.has(u)),
      downstream: [...task.downstream].filter((d) => kept.has(d)),
      triggerRule: task.settings.triggerRule,
    });
  }
  return graph;
}

/** The graph of a run whose task instances keep their downstream task ids. */
export function graphFromDownstream(
  rows: Iterable<{ readonly taskId: string; readonly downstream: readonly string[] }>,
): TaskGraph {
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, readonly string[]>();
  for (const row of rows) {
    downstream.set(row.taskId, row.downstream);
    if (!upstream.has(row.taskId)) upstream.set(row.taskId, []);
    for (const d of row.downstream) {
      const list = upstream.get(d) ?? [];
      list.push(row.taskId);
      upstream.set(d, list);
    }
  }
  return new Map(
    [...downstream].map(([id, down]) => [id, { upstream: upstream.get(id) ?? [], downstream: down }]),
  );
}

/** The tasks above `from`, as `below` finds those below. */
export function above(graph: TaskGraph, from: Iterable<string>): Set<string> {
  const reached = new Set<string>();
  const stack = [...from].flatMap((id) => graph.get(id)?.upstream ?? []);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(graph.get(id)?.upstream ?? []));
  }
  return reached;
}

/** The tasks below `from` (not `from` itself unless a cycle leads back, which a DAG has none of). */
export function below(graph: TaskGraph, from: Iterable<string>): Set<string> {
  const reached = new Set<string>();
  const stack = [...from].flatMap((id) => graph.get(id)?.downstream ?? []);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(graph.get(id)?.downstream ?? []));
  }
  return reached;
}
