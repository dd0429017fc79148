import { openMetadata } from '../../app/index.ts';
import { loadConfig } from '../../config/index.ts';
import type { DagSpec } from '../../dag/index.ts';
import { taskInstancesOf } from '../../store/read/index.ts';
import { getDagRow, getRun } from '../../store/runs/index.ts';
import { parse, parseDate, UsageError } from '../args.ts';
import { print, type CliIo } from '../io.ts';

export const help = `Usage: downbeat tasks states-for-dag-run DAG_ID LOGICAL_DATE [--json]

Prints the state of each task instance of the DAG's run at LOGICAL_DATE (Airflow's command), in
the DAG's task order: its id, state, tries so far, and when its last try started and ended.
  LOGICAL_DATE   the run's logical date: 2018-11-15T10:00:00Z, or 2018-11-15 for 00:00 UTC
  --json         one JSON array of {"task_id", "state", "try_number", "start_date", "end_date"}`;

export async function tasksStatesForDagRun(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const [dagId, date, ...extra] = positionals;
  if (!dagId || !date || extra.length > 0) throw new UsageError(`expected DAG_ID LOGICAL_DATE\n\n${help}`);
  const logicalDate = parseDate(date, 'LOGICAL_DATE');
  const db = await openMetadata(loadConfig(io.env));
  try {
    const run = await getRun(db, dagId, logicalDate.getTime());
    if (!run) {
      const known = (await getDagRow(db, dagId)) !== undefined;
      throw new UsageError(
        known
          ? `DAG "${dagId}" has no run at ${logicalDate.toISOString()}`
          : `no DAG "${dagId}" in the metadata DB`,
      );
    }
    const spec = JSON.parse((await getDagRow(db, dagId))?.spec ?? '{"tasks": []}') as Pick<DagSpec, 'tasks'>;
    const order = new Map(spec.tasks.map((t, i) => [t.id, i]));
    const rows = (await taskInstancesOf(db, [Number(run.range_run_pk ?? run.id)])).sort(
      (a, b) =>
        (order.get(a.task_id) ?? 1e9) - (order.get(b.task_id) ?? 1e9) || a.task_id.localeCompare(b.task_id),
    );
    const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
    const items = rows.map((r) => ({
      task_id: r.task_id,
      state: r.state,
      try_number: Number(r.try_number),
      start_date: iso(r.started_at),
      end_date: iso(r.ended_at),
    }));
    if (values.json) {
      print(io.stdout, JSON.stringify(items));
      return 0;
    }
    const width = Math.max(4, ...items.map((i) => i.task_id.length));
    print(io.stdout, `${'TASK'.padEnd(width)}  ${'STATE'.padEnd(15)}  TRY  START                     END`);
    for (const i of items)
      print(
        io.stdout,
        `${i.task_id.padEnd(width)}  ${i.state.padEnd(15)}  ${String(i.try_number).padStart(3)}  ${(i.start_date ?? '-').padEnd(24)}  ${i.end_date ?? '-'}`,
      );
    return 0;
  } finally {
    await db.close();
  }
}
