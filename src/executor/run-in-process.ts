import type { ConnectionResolver, Dag, RunInfo, VariableReader } from '../dag/index.ts';
import { runCallback } from './callbacks.ts';
import { executeTask, type TryResult } from './execute-task.ts';

/** A task's end in an in-process run: its try, or why it did not run. */
export type TaskRunResult =
  | (TryResult & { readonly state: 'success' | 'failed' })
  | { readonly taskId: string; readonly state: 'upstream_failed' };

export interface RunInProcessOptions {
  readonly dag: Dag;
  readonly run: RunInfo;
  readonly connections: ConnectionResolver;
  /** @default none: every variable is unset */
  readonly variables?: VariableReader;
  /** Only these tasks (with no regard to their upstream's state): `tasks test`. @default all */
  readonly only?: readonly string[];
  /** Tasks running at once. @default 8 */
  readonly concurrency?: number;
  /** Called as each task ends. */
  readonly onTaskEnd?: (result: TaskRunResult) => void;
  readonly onLog?: (taskId: string, line: string) => void;
}

/**
 * Runs one DAG run inside this process, like `airflow dags test`: every task once (no retries,
 * no delays), each as soon as its upstream tasks succeeded, independent ones at the same time.
 * A task whose upstream failed does not run (upstream_failed). Nothing is recorded but the results.
 */
export async function runInProcess(options: RunInProcessOptions): Promise<TaskRunResult[]> {
  const { dag } = options;
  const selected = new Set(options.only ?? dag.tasks.keys());
  const results = new Map<string, TaskRunResult>();
  const limit = options.concurrency ?? 8;
  const running = new Map<string, Promise<void>>();

  const ready = () =>
    [...selected].filter((id) => {
      if (results.has(id) || running.has(id)) return false;
      const upstream = [...(dag.tasks.get(id)?.upstream ?? [])].filter((u) => selected.has(u));
      return upstream.every((u) => results.get(u)?.state === 'success');
    });
  const blocked = (id: string) =>
    [...(dag.tasks.get(id)?.upstream ?? [])].some(
      (u) => selected.has(u) && ['failed', 'upstream_failed'].includes(results.get(u)?.state ?? ''),
    );

  const finish = (result: TaskRunResult) => {
    results.set(result.taskId, result);
    options.onTaskEnd?.(result);
  };

  for (;;) {
    // Propagate failures: a task below a failed one will not run.
    let propagated = true;
    while (propagated) {
      propagated = false;
      for (const id of selected) {
        if (!results.has(id) && !running.has(id) && blocked(id)) {
          finish({ taskId: id, state: 'upstream_failed' });
          propagated = true;
        }
      }
    }
    for (const id of ready().slice(0, Math.max(0, limit - running.size))) {
      const task = dag.tasks.get(id);
      if (!task) continue;
      const done = executeTask({
        run: options.run,
        task,
        tryNumber: 1,
        connections: options.connections,
        variables: options.variables ?? { get: () => Promise.resolve(undefined) },
        onLog: (line) => options.onLog?.(id, line),
      }).then(async (result) => {
        const event = { ...options.run, taskId: id, tryNumber: 1, state: result.state, error: result.error };
        await runCallback(task, event, (line) => options.onLog?.(id, line));
        running.delete(id);
        finish(result);
      });
      running.set(id, done);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return dag.topologicalOrder().flatMap((id) => results.get(id) ?? []);
}
