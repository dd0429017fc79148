import { sweepSources, type DagSweep } from '../../app/index.ts';
import { parse, UsageError } from '../args.ts';
import { findDag, print, runtimeFor, type CliIo } from '../context.ts';

export const help = `Usage: downbeat sources check [--dag DAG_ID] [--json]

Source lineage: every succeeded run records the version of each source object its stages read.
This stats, once each, every day file such runs read, and marks stale each run that read a version
the source no longer holds (the file was replaced, or removed). A stale run stays so until its
interval is rerun and succeeds: \`downbeat dags backfill DAG_ID --start … --end … --reprocess stale\`
reruns exactly the stale intervals. Prints the runs marked now (a run stale already is counted, not
listed again). The scheduler does the same once an hour (DOWNBEAT_SOURCES_CHECK_INTERVAL). With a
DuckDB warehouse, the process that holds the file (standalone, a scheduler's worker) must not be
writing it meanwhile.

  --dag DAG_ID   only this DAG (default: every DAG with a stage of day files)
  --json         the result as JSON: per DAG, runs checked, objects stat'ed, runs marked, stale already`;

export async function sourcesCheck(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { dag: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected "${positionals.join(' ')}"\n\n${help}`);
  const runtime = await runtimeFor(io);
  try {
    if (values.dag !== undefined) findDag(runtime.folder, values.dag);
    const swept = await sweepSources({
      db: runtime.db,
      dags: runtime.folder.dags,
      connectionsFor: (dag) => runtime.connectionsFor(dag),
      now: Date.now(),
      dagId: values.dag,
    });
    if (values.json) print(io.stdout, JSON.stringify(swept.map(asJson), null, 2));
    else for (const dag of swept) printSweep(io, dag);
    if (!values.json && swept.length === 0) print(io.stdout, 'no DAG stages day files: nothing to check');
    return 0;
  } finally {
    await runtime.close();
  }
}

function printSweep(io: CliIo, dag: DagSweep): void {
  print(
    io.stdout,
    `${dag.dagId}: ${dag.runsChecked} run(s) checked, ${dag.objectsChecked} object(s) looked at, ` +
      `${dag.marked.length} marked stale now, ${dag.alreadyStale} stale already`,
  );
  for (const run of dag.marked)
    for (const o of run.objects)
      print(
        io.stdout,
        `stale  ${run.runId}  ${o.table}: ${o.key} read at ${o.read}, ${o.now === null ? 'removed' : `now ${o.now}`}`,
      );
}

function asJson(dag: DagSweep) {
  return {
    dag_id: dag.dagId,
    runs_checked: dag.runsChecked,
    objects_checked: dag.objectsChecked,
    already_stale: dag.alreadyStale,
    marked: dag.marked.map((run) => ({
      dag_run_id: run.runId,
      logical_date: new Date(run.logicalDate).toISOString(),
      objects: run.objects.map((o) => ({
        table: o.table,
        key: o.key,
        read_version: o.read,
        current_version: o.now,
      })),
    })),
  };
}
