/**
 * One DAG run in this process, as `dags test` runs it: the metadata DB only for variables and
 * stored connections (no run is recorded), connections from the configuration, every task once.
 */
import type { DownbeatConfig } from '../config/index.ts';
import { Connections, storedConnections } from '../connections/index.ts';
import type { Dag, RunInfo } from '../dag/index.ts';
import { runInProcess, type TaskRunResult } from '../executor/index.ts';
import { variableReader } from '../store/admin/index.ts';
import { openMetadata } from './metadata.ts';

export interface RunOnceOptions {
  readonly config: DownbeatConfig;
  readonly dag: Dag;
  readonly run: RunInfo;
  /** Only these tasks, whatever their upstream (`tasks test`). @default all */
  readonly only?: readonly string[];
  readonly onTaskEnd?: (result: TaskRunResult) => void;
  readonly onLog?: (taskId: string, line: string) => void;
}

export async function runOnce(options: RunOnceOptions): Promise<TaskRunResult[]> {
  const { config, dag } = options;
  const db = await openMetadata(config);
  let connections: Connections;
  try {
    connections = new Connections(config, dag.connectionDefaults, await storedConnections(db, config));
  } catch (error) {
    await db.close();
    throw error;
  }
  try {
    return await runInProcess({
      dag,
      run: options.run,
      connections,
      variables: variableReader(db, config.env),
      only: options.only,
      onTaskEnd: options.onTaskEnd,
      onLog: options.onLog,
    });
  } finally {
    await connections.close();
    await db.close();
  }
}
