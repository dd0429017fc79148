/// <reference types="node" preserve="true" />
/**
 * `downbeat/testing`: test a pipeline in vitest or node:test as `downbeat dags test` runs it.
 *
 *   import { runDag } from 'downbeat/testing';
 *   const run = await runDag(myDag, '2018-11-15T10:00:00Z', { connections: { warehouse: 'duckdb:///tmp/w.duckdb' } });
 *   expect(run.tasks.count_rows?.output).toBe(42);
 */
export { runDag, runTask } from './run-dag.ts';
export type { DagRunResult, RunDagOptions, TaskResult } from './run-dag.ts';
