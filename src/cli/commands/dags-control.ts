import { createRun, getRun, setPaused } from '../../store/runs/index.ts';
import { recordCliChange } from '../audit.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';
import { checkedConf, parseConf } from './test-run.ts';

export const triggerHelp = `Usage: downbeat dags trigger DAG_ID [--logical-date DATE] [--conf JSON]

Creates a manual run; the scheduler starts it (paused DAGs too: a trigger is an explicit request).
  --logical-date DATE   the interval to run (default: the latest complete interval)
  --conf JSON           the run's conf, a JSON object`;

export const pauseHelp = `Usage: downbeat dags pause|unpause DAG_ID

Pausing stops the schedule (no new scheduled runs); backfills and manual runs still run.`;

export async function dagsTrigger(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    'logical-date': { type: 'string' },
    conf: { type: 'string' },
  });
  const [dagId, ...extra] = positionals;
  if (!dagId || extra.length > 0) throw new UsageError(`expected DAG_ID\n\n${triggerHelp}`);
  const conf = parseConf(values.conf);
  const runtime = await runtimeFor(io);
  try {
    const dag = findDag(runtime.folder, dagId);
    const now = Date.now();
    const date = values['logical-date']
      ? parseDate(values['logical-date'], '--logical-date')
      : new Date(now - 1);
    const interval = dag.intervalFor(date);
    const target =
      values['logical-date'] || !dag.schedule
        ? date
        : dag.intervalFor(new Date(interval.start.getTime() - 1)).start;
    const run = dag.runFor(target, 'manual', checkedConf(dag, conf));
    const created = await createRun(runtime.db, dag, run, now);
    if (created === undefined) {
      const existing = await getRun(runtime.db, dag.id, run.logicalDate.getTime());
      throw new UsageError(
        `${dag.id} already has a run for ${run.logicalDate.toISOString()} (${existing?.run_id ?? ''}, ${existing?.state ?? ''}): ` +
          `clear it to run it again (downbeat tasks clear ${dag.id} --start ${run.logicalDate.toISOString()})`,
      );
    }
    await recordCliChange(runtime.db, io, 'dag_run.trigger', `${dag.id}/${run.runId}`, {
      logical_date: run.logicalDate.toISOString(),
      conf: run.conf,
    });
    print(
      io.stdout,
      `created ${run.runId} for [${run.dataInterval.start.toISOString()}, ${run.dataInterval.end.toISOString()})`,
    );
    return 0;
  } finally {
    await runtime.close();
  }
}

export function dagsPause(paused: boolean) {
  return async (args: readonly string[], io: CliIo): Promise<number> => {
    const { positionals } = parse(args, {});
    const [dagId, ...extra] = positionals;
    if (!dagId || extra.length > 0) throw new UsageError(`expected DAG_ID\n\n${pauseHelp}`);
    const runtime = await runtimeFor(io);
    try {
      findDag(runtime.folder, dagId);
      await setPaused(runtime.db, dagId, paused);
      await recordCliChange(runtime.db, io, paused ? 'dag.pause' : 'dag.unpause', dagId);
      print(io.stdout, `${dagId} ${paused ? 'paused' : 'unpaused'}`);
      return 0;
    } finally {
      await runtime.close();
    }
  };
}
