import type { Runtime } from '../app/index.ts';
import { loadConfig, type DownbeatConfig } from '../config/index.ts';
import type { Dag } from '../dag/index.ts';
import { loadDagFolder, type DagFolder } from '../loader/index.ts';
import { UsageError } from './args.ts';
import { print, type CliIo } from './io.ts';

export { print, type CliIo } from './io.ts';

/** Loads the DAG folder, reporting files that failed on stderr; the other DAGs still load. */
export async function loadDags(io: CliIo, config: DownbeatConfig = loadConfig(io.env)): Promise<DagFolder> {
  const folder = await loadDagFolder(config.dagsFolder);
  for (const error of folder.errors)
    print(io.stderr, `warning: ${error.file} failed to load: ${error.message}`);
  return folder;
}

/** The metadata DB, the DAG folder and connections, for a command: load warnings on stderr. */
export async function runtimeFor(io: CliIo): Promise<Runtime> {
  // Loaded here, not above: a command that needs no runtime (dags list) starts without it.
  const { openRuntime } = await import('../app/index.ts');
  return openRuntime({ env: io.env, warn: (line) => print(io.stderr, line) });
}

/** Loads the DAGs folder again whenever a file in it changes, for as long as the command runs. */
export async function reloadOnChange(runtime: Runtime, io: CliIo): Promise<{ close(): void }> {
  const { reloadDagsOnChange } = await import('../app/index.ts');
  return reloadDagsOnChange(runtime, (line) => print(io.stdout, line));
}

export function findDag(folder: DagFolder, dagId: string): Dag {
  const dag = folder.dags.get(dagId);
  if (!dag) {
    const known = [...folder.dags.keys()].join(', ') || 'none';
    throw new UsageError(`no DAG "${dagId}" in the DAGs folder (known: ${known})`);
  }
  return dag;
}
