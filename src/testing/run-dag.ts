import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/index.ts';
import { Connections, envName } from '../connections/index.ts';
import { resolveConf, type Dag } from '../dag/index.ts';
import { runInProcess, runStateOf, type TaskRunResult } from '../executor/index.ts';
import type { TaskState } from '../lifecycle/index.ts';

export interface RunDagOptions {
  /**
   * Connections by id, as URIs (`duckdb:///tmp/w.duckdb`, `file:///data`, `postgres://…`), as
   * `DOWNBEAT_CONN_<ID>` gives them to the engine. A connection not given falls back to the DAG's
   * `connectionDefaults` under `home`. @default none
   */
  readonly connections?: Readonly<Record<string, string>>;
  /**
   * The state folder `${DOWNBEAT_HOME}` stands for in the DAG's connection defaults; pass one to
   * look at what the run wrote there. @default a new temporary folder, removed when the run ends
   */
  readonly home?: string;
  /** The run's conf. @default {} */
  readonly conf?: Readonly<Record<string, unknown>>;
  /** Variables the tasks read with `context.variables.get`. @default none */
  readonly variables?: Readonly<Record<string, string>>;
  /** Lines of every task's log as they are written. @default kept in the result only */
  readonly onLog?: (taskId: string, line: string) => void;
}

/** How one task ended in the run. */
export interface TaskResult {
  readonly state: Extract<TaskState, 'success' | 'failed' | 'upstream_failed' | 'skipped'>;
  /** What the task returned (an `fn`'s value), when it gave one. */
  readonly output?: unknown;
  /** What its operator reported: rows written, checks, a summary. */
  readonly outcome: TaskRunResultOutcome;
  readonly error?: { readonly code: string; readonly message: string };
  readonly log: readonly string[];
}

type TaskRunResultOutcome = Extract<TaskRunResult, { outcome: unknown }>['outcome'];

export interface DagRunResult {
  /** As the scheduler decides it: failed when a leaf task (no downstream) failed or is upstream_failed. */
  readonly state: 'success' | 'failed';
  readonly tasks: Readonly<Record<string, TaskResult>>;
}

/**
 * Runs one DAG run in this process, exactly as `downbeat dags test` does — the same lifecycle
 * rules, every task once, no retries — for the interval that contains `logicalDate`.
 */
export async function runDag(
  dag: Dag,
  logicalDate: Date | string,
  options: RunDagOptions = {},
): Promise<DagRunResult> {
  const results = await runWith(dag, logicalDate, options, undefined);
  const tasks = Object.fromEntries(results.map((r) => [r.taskId, taskResult(r)]));
  return { state: runStateOf(dag, results), tasks };
}

/** Runs one task of a DAG run, whatever the state of its upstream tasks (`downbeat tasks test`). */
export async function runTask(
  dag: Dag,
  taskId: string,
  logicalDate: Date | string,
  options: RunDagOptions = {},
): Promise<TaskResult> {
  if (!dag.tasks.has(taskId))
    throw new Error(`DAG "${dag.id}" has no task "${taskId}" (tasks: ${[...dag.tasks.keys()].join(', ')})`);
  const [result] = await runWith(dag, logicalDate, options, [taskId]);
  if (!result) throw new Error(`task ${taskId} did not run`);
  return taskResult(result);
}

async function runWith(
  dag: Dag,
  logicalDate: Date | string,
  options: RunDagOptions,
  only: readonly string[] | undefined,
): Promise<TaskRunResult[]> {
  const date = logicalDate instanceof Date ? logicalDate : new Date(logicalDate);
  if (Number.isNaN(date.getTime())) throw new Error(`logical date "${String(logicalDate)}" is not a date`);
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'downbeat-run-')));
  const env: Record<string, string> = { DOWNBEAT_HOME: home };
  for (const [id, uri] of Object.entries(options.connections ?? {})) env[envName(id)] = uri;
  const connections = new Connections(loadConfig(env), dag.connectionDefaults);
  const variables = options.variables ?? {};
  try {
    return await runInProcess({
      dag,
      run: dag.runFor(date, 'manual', resolveConf(dag.id, dag.params, options.conf ?? {})),
      connections,
      variables: { get: (key) => Promise.resolve(variables[key]) },
      only,
      onLog: options.onLog,
    });
  } finally {
    await connections.close();
    if (options.home === undefined) await rm(home, { recursive: true, force: true });
  }
}

function taskResult(result: TaskRunResult): TaskResult {
  if (!('outcome' in result)) return { state: result.state, outcome: {}, log: [] };
  return {
    state: result.state,
    ...(result.output === undefined ? {} : { output: result.output }),
    outcome: result.outcome,
    ...(result.error ? { error: result.error } : {}),
    log: result.log,
  };
}
