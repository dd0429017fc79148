import { loadConfig } from '../../config/index.ts';
import { parse } from '../args.ts';
import { loadDags, print, type CliIo } from '../context.ts';
import { printTable } from '../io.ts';

export const help = `Usage: downbeat dags list [--json]

Lists the DAGs of the DAGs folder (DOWNBEAT_DAGS_FOLDER) and the files that failed to load.
  --json   one JSON document instead of a table`;

export async function dagsList(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const config = loadConfig(io.env);
  const folder = await loadDags(io, config);
  const dags = [...folder.dags.values()].map((dag) => ({
    dag_id: dag.id,
    file: folder.files.get(dag.id) ?? '',
    schedule: dag.schedule?.expression ?? null,
    start_date: dag.startDate.toISOString(),
    catchup: dag.catchup,
    tasks: dag.tasks.size,
  }));
  if (values.json) {
    print(io.stdout, JSON.stringify({ dags, import_errors: folder.errors }, null, 2));
    return folder.errors.length > 0 ? 1 : 0;
  }
  const rows = [
    ['DAG', 'FILE', 'SCHEDULE', 'START', 'TASKS'],
    ...dags.map((d) => [d.dag_id, d.file, d.schedule ?? 'none', d.start_date, String(d.tasks)]),
  ];
  printTable(io.stdout, rows);
  if (dags.length === 0) print(io.stdout, `(no DAGs in ${config.dagsFolder})`);
  return folder.errors.length > 0 ? 1 : 0;
}
