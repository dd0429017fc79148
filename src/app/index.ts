/**
 * The wiring that the CLI, tests and benches share: open the metadata DB, load and sync the DAG
 * folder, start an engine of scheduler and workers, serve the web app, run one DAG run in process.
 * The CLI parses flags and prints; everything it starts, it starts through here.
 */
export { openMetadata } from './metadata.ts';
export { openRuntime } from './runtime.ts';
export type { DagReloadSummary, Runtime, RuntimeOptions } from './runtime.ts';
export { reloadDagsOnChange } from './dag-reload.ts';
export { startEngine } from './engine.ts';
export type { Engine, EngineOptions } from './engine.ts';
export { addUser, metricsText, serve, serveRuntime, WEB_DIST } from './web.ts';
export type { ServeOptions, WebServer } from './web.ts';
export { runOnce } from './run-once.ts';
export type { RunOnceOptions } from './run-once.ts';
export { warehouseSource } from './warehouse-source.ts';
export type { WarehouseAccess, WarehouseSourceOptions } from './warehouse-source.ts';
export { sweepSources } from './source-sweep.ts';
export type { DagSweep, SourceSweepOptions, StaleMark } from './source-sweep.ts';
