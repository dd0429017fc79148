import { userInfo } from 'node:os';
import type { MarkState } from '../../lifecycle/index.ts';
import { getRun, markDagRun, markTaskInstance } from '../../store/runs/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';

export const tasksMarkHelp = `Usage: downbeat tasks mark DAG_ID TASK_ID LOGICAL_DATE --state success|failed

Marks one task instance of the run at LOGICAL_DATE success or failed by hand (Airflow's mark),
recorded as done by cli:<your user name>. Marked success, the tasks below it that its failure had
ended at once run again by their trigger rules, and the run goes on; marked failed, the tasks below
it are decided by their trigger rules as after any failure. A running task instance is refused.`;

export const dagsMarkHelp = `Usage: downbeat dags mark DAG_ID LOGICAL_DATE --state success|failed

Marks the DAG's run at LOGICAL_DATE success or failed by hand, as Airflow does: success marks every
task instance success; failed marks those running or queued failed and those still to run skipped.
Recorded as done by cli:<your user name>.`;

function markState(raw: string | undefined): MarkState {
  if (raw !== 'success' && raw !== 'failed')
    throw new UsageError(
      `--state must be success or failed, got ${raw === undefined ? 'nothing' : `"${raw}"`}`,
    );
  return raw;
}

/** Who marks from the command line. */
const byCli = () => `cli:${userInfo().username}`;

export async function tasksMark(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { state: { type: 'string' } });
  const [dagId, taskId, date, ...extra] = positionals;
  if (!dagId || !taskId || !date || extra.length > 0)
    throw new UsageError(`expected DAG_ID TASK_ID LOGICAL_DATE\n\n${tasksMarkHelp}`);
  const state = markState(values.state);
  const logicalDate = parseDate(date, 'LOGICAL_DATE');
  const runtime = await runtimeFor(io);
  try {
    const dag = findDag(runtime.folder, dagId);
    if (!dag.tasks.has(taskId)) throw new UsageError(`DAG "${dag.id}" has no task "${taskId}"`);
    const run = await getRun(runtime.db, dag.id, logicalDate.getTime());
    if (!run) throw new UsageError(`DAG "${dag.id}" has no run at ${logicalDate.toISOString()}`);
    const result = await markTaskInstance(runtime.db, run.id, taskId, state, byCli(), Date.now());
    if ('running' in result)
      throw new UsageError(`task ${taskId} of ${run.run_id} is running: mark it once its try has ended`);
    await recordCliChange(runtime.db, io, 'task_instance.mark', `${dag.id}/${run.run_id}/${taskId}`, {
      new_state: state,
    });
    const others = result.marked.filter((id) => id !== taskId);
    print(
      io.stdout,
      `${run.run_id}: ${taskId} marked ${state}${others.length ? `; ${others.join(', ')} to run again` : ''}`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

export async function dagsMark(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { state: { type: 'string' } });
  const [dagId, date, ...extra] = positionals;
  if (!dagId || !date || extra.length > 0)
    throw new UsageError(`expected DAG_ID LOGICAL_DATE\n\n${dagsMarkHelp}`);
  const state = markState(values.state);
  const logicalDate = parseDate(date, 'LOGICAL_DATE');
  const runtime = await runtimeFor(io);
  try {
    const dag = findDag(runtime.folder, dagId);
    const run = await getRun(runtime.db, dag.id, logicalDate.getTime());
    if (!run) throw new UsageError(`DAG "${dag.id}" has no run at ${logicalDate.toISOString()}`);
    const changed = await markDagRun(runtime.db, run.id, state, byCli(), Date.now());
    await recordCliChange(runtime.db, io, 'dag_run.mark', `${dag.id}/${run.run_id}`, { state });
    print(io.stdout, `${run.run_id} marked ${state} (${changed.length} task instance(s) changed)`);
    return 0;
  } finally {
    await runtime.close();
  }
}
