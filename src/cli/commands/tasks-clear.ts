import { clearTasks } from '../../store/runs/index.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';

export const help = `Usage: downbeat tasks clear DAG_ID --start DATE [--end DATE] [--task ID]... [--downstream] [--only-failed]

Clears task instances so they run again: of the run at --start, or of every run in [--start, --end).
  --task ID        only this task (repeatable); default: every task of the run
  --downstream     and every task below the ones named
  --only-failed    only tasks that did not succeed`;

export async function tasksClear(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    start: { type: 'string' },
    end: { type: 'string' },
    task: { type: 'string', multiple: true },
    downstream: { type: 'boolean' },
    'only-failed': { type: 'boolean' },
  });
  const [dagId, ...extra] = positionals;
  if (!dagId || extra.length > 0) throw new UsageError(`expected DAG_ID\n\n${help}`);
  if (!values.start) throw new UsageError('--start is required');
  const start = parseDate(values.start, '--start');
  const end = values.end ? parseDate(values.end, '--end') : new Date(start.getTime() + 1);
  const runtime = await runtimeFor(io);
  try {
    const dag = findDag(runtime.folder, dagId);
    for (const task of values.task ?? []) {
      if (!dag.tasks.has(task)) throw new UsageError(`--task: DAG "${dag.id}" has no task "${task}"`);
    }
    const runs = await runtime.db.query<{ id: number; run_id: string }>(
      'SELECT id, run_id FROM dag_runs WHERE dag_id = $1 AND logical_date >= $2 AND logical_date < $3 ORDER BY logical_date',
      [dag.id, start.getTime(), end.getTime()],
    );
    if (runs.length === 0)
      throw new UsageError(`${dag.id} has no run in [${start.toISOString()}, ${end.toISOString()})`);
    let total = 0;
    for (const run of runs) {
      const cleared = await clearTasks(runtime.db, run.id, values.task, {
        downstream: values.downstream,
        onlyFailed: values['only-failed'],
      });
      total += cleared.length;
      const inOrder = dag.topologicalOrder().filter((id) => cleared.includes(id));
      if (cleared.length > 0) print(io.stdout, `${run.run_id}: cleared ${inOrder.join(', ')}`);
    }
    print(
      io.stdout,
      `${total} task instance(s) cleared in ${runs.length} run(s); the scheduler runs them again`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}
