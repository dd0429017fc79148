/**
 * Helpers for tests that run operators against real adapters: a context for one task of one run,
 * and connections backed by a temporary folder and a temporary DuckDB file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connections } from '../connections/index.ts';
import { runIdFor, type DataInterval, type TaskContext } from '../dag/index.ts';

export interface TestEnvironment {
  readonly root: string;
  readonly sourceFolder: string;
  readonly connections: Connections;
  /** A context for `taskId` in the run whose interval starts at `start` (one hour unless `end`). */
  context(taskId: string, start: string, end?: string): TaskContext;
  close(): Promise<void>;
}

export async function testEnvironment(): Promise<TestEnvironment> {
  const root = await mkdtemp(join(tmpdir(), 'downbeat-test-'));
  const sourceFolder = join(root, 'source');
  const connections = new Connections({
    home: root,
    dagsFolder: join(root, 'dags'),
    databaseUrl: undefined,
    heartbeatMs: 5000,
    zombieAfterMs: 60_000,
    env: {
      DOWNBEAT_CONN_SOURCE: `file://${sourceFolder}`,
      DOWNBEAT_CONN_WAREHOUSE: `duckdb://${join(root, 'warehouse.duckdb')}`,
    },
  });
  const lines: string[] = [];
  return {
    root,
    sourceFolder,
    connections,
    context(taskId, start, end) {
      const startDate = new Date(start);
      const dataInterval: DataInterval = {
        start: startDate,
        end: end ? new Date(end) : new Date(startDate.getTime() + 3_600_000),
      };
      return {
        dagId: 'test_dag',
        runId: runIdFor('manual', startDate),
        runType: 'manual',
        logicalDate: startDate,
        dataInterval,
        conf: {},
        taskId,
        tryNumber: 1,
        firstTryStartedAt: new Date(),
        runs: { state: () => Promise.resolve(undefined) },
        log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
        signal: new AbortController().signal,
        now: () => new Date(),
        output: () => undefined,
        params: {},
        connections,
        variables: { get: () => Promise.resolve(undefined) },
      };
    },
    async close() {
      await connections.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
