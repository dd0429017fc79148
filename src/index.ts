/// <reference types="node" preserve="true" />
/**
 * `downbeat`: the authoring API — what a DAG file imports to define a pipeline. It does no I/O:
 * the engine (the `downbeat` command) loads DAG files and runs them.
 *
 *   import { dag, fn, sql } from 'downbeat';
 *
 * `downbeat/testing` runs a DAG in a test as `downbeat dags test` does.
 */
export {
  dag,
  Dag,
  DagBuilder,
  DagDefinitionError,
  durationMs,
  MAX_OUTPUT_BYTES,
  ParamError,
  renderTemplate,
  TaskFailure,
  TaskOutputError,
} from './dag/index.ts';
export type {
  CheckResult,
  CommandIo,
  ConnectionResolver,
  DagOptions,
  DataInterval,
  Duration,
  Operator,
  ParamSpec,
  ParamSpecs,
  ParamType,
  PipelineCommand,
  PipelineSample,
  RunInfo,
  RunStateReader,
  RunType,
  Task,
  TaskCallback,
  TaskContext,
  TaskEvent,
  TaskLogger,
  TaskOutcome,
  TaskSettings,
  TriggerRule,
  VariableReader,
} from './dag/index.ts';
export {
  branch,
  checks,
  dataQuality,
  fn,
  loadDimension,
  loadFact,
  noop,
  runParams,
  shortCircuit,
  sql,
  sensorOperator,
  sqlTimestamp,
  stageJson,
  waitForObjects,
  waitForRun,
} from './operators/index.ts';
export type {
  CatalogObjects,
  ColumnType,
  DataQualityCheck,
  DataQualityOptions,
  FnOptions,
  IntervalObjects,
  LoadDimensionOptions,
  LoadFactOptions,
  Poke,
  SensorOptions,
  SqlOptions,
  StageJsonOptions,
  StageWait,
  StagingColumn,
  WaitForObjectsOptions,
  WaitForRunOptions,
} from './operators/index.ts';
export type { ObjectStore, Warehouse } from './ports/index.ts';
export { ConfigError, DownbeatError, toError } from './errors/index.ts';
export type { TaskState, RunState } from './lifecycle/index.ts';
