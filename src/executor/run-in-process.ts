import { setTimeout as delay } from 'node:timers/promises';
import {
  paramsOf,
  type ConnectionResolver,
  type Dag,
  type RunInfo,
  type RunStateReader,
  type Task,
  type TaskEvent,
  type VariableReader,
} from '../dag/index.ts';
import { afterTry, graphOf, outcomeOfStates, settle, skippedBy, type TaskState } from '../lifecycle/index.ts';
import { runCallback } from './callbacks.ts';
import { executeTask, type TryResult } from './execute-task.ts';

/** A task's end in an in-process run: its try, or why it did not run. */
export type TaskRunResult =
  | (TryResult & { readonly state: 'success' | 'failed' | 'skipped' })
  | { readonly taskId: string; readonly state: 'upstream_failed' | 'skipped' };

export interface RunInProcessOptions {
  readonly dag: Dag;
  readonly run: RunInfo;
  readonly connections: ConnectionResolver;
  /** @default none: every variable is unset */
  readonly variables?: VariableReader;
  /** The metadata DB's runs, for a sensor on another DAG. @default none: no run is found */
  readonly runs?: RunStateReader;
  /** Only these tasks (with no regard to their upstream's state): `tasks test`. @default all */
  readonly only?: readonly string[];
  /** Tasks running at once. @default 8 */
  readonly concurrency?: number;
  /** Called as each task ends. */
  readonly onTaskEnd?: (result: TaskRunResult) => void;
  readonly onLog?: (taskId: string, line: string) => void;
}

/** `dags test` runs each task once: a failure is final. */
const NO_RETRIES = { retries: 0, retryDelayMs: 0, retryExponentialBackoff: false, maxRetryDelayMs: 0 };

/**
 * Runs one DAG run inside this process, like `airflow dags test`: every task once (no retries,
 * no delays; a sensor pokes until it succeeds or times out, in this process), each as soon as src/lifecycle/dependencies.ts says it is ready, independent ones at
 * the same time; what the rules end at once (upstream_failed, skipped) does not run. The same
 * rules decide a run of the scheduler and workers. Nothing is recorded but the results.
 */
export async function runInProcess(options: RunInProcessOptions): Promise<TaskRunResult[]> {
  const { dag } = options;
  const graph = graphOf(dag, options.only);
  const states = new Map<string, TaskState>([...graph.keys()].map((id) => [id, 'scheduled']));
  const results = new Map<string, TaskRunResult>();
  const limit = options.concurrency ?? 8;
  const running = new Map<string, Promise<void>>();
  /** What each task that succeeded gave its downstream tasks: its output, else its outcome. */
  const outputs = new Map<string, unknown>();

  const finish = (result: TaskRunResult) => {
    states.set(result.taskId, result.state);
    results.set(result.taskId, result);
    options.onTaskEnd?.(result);
  };
  /** Decides every waiting task from the states so far: ready ones are queued, the rest end here. */
  const decide = () => {
    const { ready, upstreamFailed, skipped } = settle(graph, states);
    for (const taskId of upstreamFailed) finish({ taskId, state: 'upstream_failed' });
    for (const taskId of skipped) finish({ taskId, state: 'skipped' });
    for (const taskId of ready) states.set(taskId, 'queued');
  };

  decide();
  for (;;) {
    const queued = [...states].filter(([, state]) => state === 'queued').map(([id]) => id);
    for (const id of queued.slice(0, Math.max(0, limit - running.size))) {
      const task = dag.tasks.get(id);
      if (!task) continue;
      states.set(id, 'running');
      const done = untilNotRescheduled(options, task, outputs).then(async (result) => {
        const ending = result.state === 'failed' && result.final ? 'final' : result.state;
        const verdict = afterTry(ending, NO_RETRIES, 0, Date.now());
        const state = verdict.state === 'success' || verdict.state === 'skipped' ? verdict.state : 'failed';
        if (state !== 'skipped') {
          const event: TaskEvent = { ...options.run, taskId: id, tryNumber: 1, state, error: result.error };
          await runCallback(task, event, (line) => options.onLog?.(id, line));
        }
        running.delete(id);
        finish({ ...result, state });
        if (state === 'success') {
          outputs.set(id, result.output ?? result.outcome);
          // A branch or short circuit skips tasks below it before the trigger rules decide the rest.
          for (const skipped of skippedBy(graph, id, result.outcome))
            if (states.get(skipped) === 'scheduled') finish({ taskId: skipped, state: 'skipped' });
        }
        decide();
      });
      running.set(id, done);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return dag.topologicalOrder().flatMap((id) => results.get(id) ?? []);
}

/** One try of a task; a sensor that reschedules pokes again here, after its interval. */
async function untilNotRescheduled(
  options: RunInProcessOptions,
  task: Task,
  outputs: ReadonlyMap<string, unknown>,
): Promise<TryResult & { readonly state: 'success' | 'failed' | 'skipped' }> {
  const firstTryStartedAt = new Date();
  for (;;) {
    const result = await executeTask({
      run: options.run,
      task,
      tryNumber: 1,
      firstTryStartedAt,
      connections: options.connections,
      variables: options.variables ?? { get: () => Promise.resolve(undefined) },
      runs: options.runs,
      upstreamOutputs: outputs,
      params: paramsOf(options.dag.params, options.run.conf),
      onLog: (line) => options.onLog?.(task.id, line),
    });
    if (result.state !== 'up_for_reschedule') return { ...result, state: result.state };
    await delay(Math.max(0, (result.rescheduleAt?.getTime() ?? 0) - Date.now()));
  }
}

/**
 * The state the run ended in, as the scheduler decides it (src/lifecycle/run-outcome.ts): failed
 * when a leaf task failed or is upstream_failed. `only`: the tasks a `tasks test` ran.
 */
export function runStateOf(
  dag: Dag,
  results: readonly TaskRunResult[],
  only?: readonly string[],
): 'success' | 'failed' {
  const states = new Map<string, TaskState>(results.map((r) => [r.taskId, r.state]));
  return outcomeOfStates(graphOf(dag, only), states) ?? 'failed';
}
