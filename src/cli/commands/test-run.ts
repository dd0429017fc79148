import { runOnce } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import { ParamError, resolveConf, type Dag } from '../../dag/index.ts';
import { runStateOf, type TaskRunResult } from '../../executor/index.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, loadDags, print, type CliIo } from '../context.ts';

export const dagsTestHelp = `Usage: downbeat dags test DAG_ID LOGICAL_DATE [--conf JSON] [--verbose] [--json]

Runs one DAG run inside this process, like \`airflow dags test\`: every task once, in dependency
order, independent tasks at the same time, no retries and no retry delays. Running the same
logical date again replaces that run's data. Exit status 0 only when the run succeeded, as the
scheduler decides it: no leaf task (one with no downstream) failed or is upstream_failed.

  LOGICAL_DATE   the start of the data interval: 2018-11-15T10:00:00Z, or 2018-11-15 for 00:00 UTC;
                 a date between fire times runs the interval that contains it
  --conf JSON    the run's conf, a JSON object (default {})
  --verbose      print every task's log as it is written
  --json         print one JSON object on stdout, {"state", "tasks": {"<task_id>": {"state",
                 "output"}}}, and the lines above on stderr

Connections come from DOWNBEAT_CONN_<ID> (e.g. DOWNBEAT_CONN_SPARKIFY_SOURCE=file:///data,
DOWNBEAT_CONN_WAREHOUSE=duckdb:///path/warehouse.duckdb); unset, defaults under DOWNBEAT_HOME.`;

export const tasksTestHelp = `Usage: downbeat tasks test DAG_ID TASK_ID LOGICAL_DATE [--conf JSON] [--verbose]

Runs one task of one DAG run inside this process, whatever the state of its upstream tasks, once,
with no retries. Exit status 0 only when it succeeded. LOGICAL_DATE as for \`dags test\`.`;

export async function dagsTest(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    conf: { type: 'string' },
    verbose: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [dagId, date, ...extra] = positionals;
  if (!dagId || !date || extra.length > 0)
    throw new UsageError(`expected DAG_ID LOGICAL_DATE\n\n${dagsTestHelp}`);
  return testRun(io, {
    dagId,
    date,
    conf: values.conf,
    verbose: values.verbose ?? false,
    json: values.json ?? false,
  });
}

export async function tasksTest(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { conf: { type: 'string' }, verbose: { type: 'boolean' } });
  const [dagId, taskId, date, ...extra] = positionals;
  if (!dagId || !taskId || !date || extra.length > 0)
    throw new UsageError(`expected DAG_ID TASK_ID LOGICAL_DATE\n\n${tasksTestHelp}`);
  return testRun(io, {
    dagId,
    taskId,
    date,
    conf: values.conf,
    verbose: values.verbose ?? false,
    json: false,
  });
}

interface TestRunRequest {
  readonly dagId: string;
  readonly taskId?: string;
  readonly date: string;
  readonly conf: string | undefined;
  readonly verbose: boolean;
  /** One JSON object on stdout; the human lines go to stderr. */
  readonly json: boolean;
}

async function testRun(io: CliIo, request: TestRunRequest): Promise<number> {
  const human = request.json ? io.stderr : io.stdout;
  const logicalDate = parseDate(request.date, 'LOGICAL_DATE');
  const conf = parseConf(request.conf);
  const config = loadConfig(io.env);
  const dag = findDag(await loadDags(io, config), request.dagId);
  if (request.taskId && !dag.tasks.has(request.taskId)) {
    throw new UsageError(
      `DAG "${dag.id}" has no task "${request.taskId}" (tasks: ${[...dag.tasks.keys()].join(', ')})`,
    );
  }
  const run = dag.runFor(logicalDate, 'manual', checkedConf(dag, conf));
  if (run.logicalDate.getTime() !== logicalDate.getTime()) {
    print(
      io.stderr,
      `note: ${logicalDate.toISOString()} is not on the schedule; running the interval that contains it`,
    );
  }
  print(
    human,
    `${dag.id}  ${run.runId}  interval [${run.dataInterval.start.toISOString()}, ${run.dataInterval.end.toISOString()})`,
  );
  const started = Date.now();
  const results = await runOnce({
    config,
    dag,
    run,
    only: request.taskId ? [request.taskId] : undefined,
    onTaskEnd: (result) => print(human, formatResult(result)),
    onLog: request.verbose ? (taskId, line) => print(io.stderr, `[${taskId}] ${line}`) : undefined,
  });
  const failed = results.filter((r) => r.state === 'failed' || r.state === 'upstream_failed');
  const state = runStateOf(dag, results, request.taskId ? [request.taskId] : undefined);
  const succeeded = results.filter((r) => r.state === 'success').length;
  print(human, `${state}: ${succeeded} of ${results.length} task(s) succeeded in ${Date.now() - started} ms`);
  for (const result of failed) {
    if (result.state === 'failed' && result.error)
      print(io.stderr, `\n${result.taskId} failed [${result.error.code}]: ${result.error.message}`);
  }
  if (request.json) {
    const tasks = Object.fromEntries(
      results.map((r) => [r.taskId, { state: r.state, output: 'output' in r ? (r.output ?? null) : null }]),
    );
    io.stdout.write(`${JSON.stringify({ state, tasks })}\n`);
  }
  return state === 'success' ? 0 : 1;
}

/** A conf checked against its DAG's params, defaults filled in: a usage error naming the field. */
export function checkedConf(dag: Dag, conf: Record<string, unknown>): Record<string, unknown> {
  try {
    return resolveConf(dag.id, dag.params, conf);
  } catch (error) {
    if (error instanceof ParamError) throw new UsageError(`--conf: ${error.message}`);
    throw error;
  }
}

export function parseConf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--conf is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('--conf must be a JSON object');
  return value as Record<string, unknown>;
}

function formatResult(result: TaskRunResult): string {
  const name = result.taskId.padEnd(28);
  if (!('outcome' in result)) return `${name}  ${result.state}`;
  const ms = `${result.endedAt.getTime() - result.startedAt.getTime()} ms`.padStart(9);
  const rows = Object.entries(result.outcome.rowsWritten ?? {}).map(([table, n]) => `${table} +${n}`);
  const checks = result.outcome.checks ?? [];
  const passed = checks.filter((c) => c.passed).length;
  const parts = [...rows, ...(checks.length > 0 ? [`${passed}/${checks.length} checks passed`] : [])];
  let text = `${name}  ${result.state.padEnd(15)} ${ms}  ${parts.join(', ')}`.trimEnd();
  for (const check of checks) {
    text += `\n    ${check.passed ? 'ok  ' : 'FAIL'} ${check.name}: expected ${check.expected}, got ${check.actual}`;
  }
  if (result.output !== undefined) text += `\n    output: ${JSON.stringify(result.output)}`;
  return text;
}
