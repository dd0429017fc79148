import { clearAcrossRuns } from '../../store/runs/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';

export const help = `Usage: downbeat tasks clear DAG_ID --start DATE [--end DATE] [--task ID]... [--downstream]
                            [--upstream] [--future] [--past] [--only-failed] [--dry-run]

Clears task instances so they run again (Airflow's clear): of the run at --start, or of every run
in [--start, --end).
  --task ID        only this task (repeatable); default: every task of the run
  --downstream     and every task below the ones named
  --upstream       and every task above the ones named
  --future         and the same tasks in every later run of the DAG
  --past           and the same tasks in every earlier run of the DAG
  --only-failed    only tasks that did not succeed
  --dry-run        list what would be cleared, and clear nothing`;

export async function tasksClear(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    start: { type: 'string' },
    end: { type: 'string' },
    task: { type: 'string', multiple: true },
    downstream: { type: 'boolean' },
    upstream: { type: 'boolean' },
    future: { type: 'boolean' },
    past: { type: 'boolean' },
    'only-failed': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
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
    const runs = await runtime.db.query<{ id: number }>(
      "SELECT id FROM dag_runs WHERE dag_id = $1 AND kind = 'interval' AND logical_date >= $2 AND logical_date < $3 ORDER BY logical_date",
      [dag.id, start.getTime(), end.getTime()],
    );
    if (runs.length === 0)
      throw new UsageError(`${dag.id} has no run in [${start.toISOString()}, ${end.toISOString()})`);
    const options = {
      downstream: values.downstream,
      upstream: values.upstream,
      future: values.future,
      past: values.past,
      onlyFailed: values['only-failed'],
    };
    const dryRun = values['dry-run'] ?? false;
    // One transaction for the whole clear: a dry run rolls it back, having listed what it did.
    const cleared = new Map<string, string[]>();
    await runtime.db
      .transaction(async (tx) => {
        for (const run of runs)
          for (const r of await clearAcrossRuns(tx, Number(run.id), values.task, options))
            cleared.set(r.runId, [...new Set([...(cleared.get(r.runId) ?? []), ...r.cleared])]);
        if (dryRun) throw new DryRun();
      })
      .catch((error: unknown) => {
        if (!(error instanceof DryRun)) throw error;
      });
    let total = 0;
    for (const [runId, ids] of [...cleared].sort(([a], [b]) => a.localeCompare(b))) {
      total += ids.length;
      const inOrder = dag.topologicalOrder().filter((id) => ids.includes(id));
      if (!dryRun)
        await recordCliChange(runtime.db, io, 'task_instance.clear', `${dag.id}/${runId}`, {
          task_ids: inOrder,
          ...options,
        });
      print(io.stdout, `${runId}: ${dryRun ? 'would clear' : 'cleared'} ${inOrder.join(', ')}`);
    }
    print(
      io.stdout,
      dryRun
        ? `${total} task instance(s) in ${cleared.size} run(s) would be cleared (--dry-run: nothing was)`
        : `${total} task instance(s) cleared in ${cleared.size} run(s); the scheduler runs them again`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

class DryRun extends Error {}
