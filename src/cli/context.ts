import { loadDags as loadDagsOf, openRuntime, type Runtime } from '../app/index.ts';
import { loadConfig, type DownbeatConfig } from '../config/index.ts';
import type { Dag } from '../dag/index.ts';
import type { DagFolder } from '../loader/index.ts';
import { UsageError } from './args.ts';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function print(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

/** Loads the DAG folder, reporting files that failed on stderr; the other DAGs still load. */
export function loadDags(io: CliIo, config: DownbeatConfig = loadConfig(io.env)): Promise<DagFolder> {
  return loadDagsOf(config, (line) => print(io.stderr, line));
}

/** The metadata DB, the DAG folder and connections, for a command: load warnings on stderr. */
export function runtimeFor(io: CliIo): Promise<Runtime> {
  return openRuntime({ env: io.env, warn: (line) => print(io.stderr, line) });
}

export function findDag(folder: DagFolder, dagId: string): Dag {
  const dag = folder.dags.get(dagId);
  if (!dag) {
    const known = [...folder.dags.keys()].join(', ') || 'none';
    throw new UsageError(`no DAG "${dagId}" in the DAGs folder (known: ${known})`);
  }
  return dag;
}
