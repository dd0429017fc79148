/**
 * The authoring API: how a pipeline is written. It does no I/O.
 *
 * Glossary
 * - DAG: a pipeline — tasks, the edges between them, a schedule, a start date, default settings.
 * - Operator: a reusable kind of task (stage, load fact, load dimension, data quality, SQL, no-op).
 * - Task: one operator, configured, with an id unique in its DAG.
 * - Data interval: the half-open span [start, end) a run is responsible for.
 * - Logical date: the start of a run's data interval; one run per (DAG, logical date).
 * - DAG run: one execution of a DAG for one data interval; scheduled, manual or backfill.
 * - Task instance: one task in one run; each try keeps its own log, times and error.
 * - Connection: named credentials and endpoint, resolved by the engine, never by the task.
 */
export { DAG_BRAND, DAG_COPY, dag, Dag, DagBuilder, DagDefinitionError, dagSpec } from './dag.ts';
export type { BackfillPolicy, DagOptions, DagSpec, Task } from './dag.ts';
export type {
  ResolvedTaskSettings,
  TaskCallback,
  TaskCallbacks,
  TaskEvent,
  TaskSettings,
} from './task-settings.ts';
export { CronSchedule } from './schedule.ts';
export { isTriggerRule, TRIGGER_RULES } from './trigger-rules.ts';
export { ParamError, paramsOf, resolveConf } from './params.ts';
export type { ParamSpec, ParamSpecs, ParamType } from './params.ts';
export type { TriggerRule } from './trigger-rules.ts';
export type { DataInterval } from './schedule.ts';
export { durationMs } from './duration.ts';
export type { Duration } from './duration.ts';
export { coveredIntervals, rangeRunIdFor, renderTemplate, runIdFor, utcDaysIn } from './context.ts';
export type {
  ConnectionResolver,
  RunInfo,
  RunStateReader,
  RunType,
  TaskContext,
  TaskLogger,
  VariableReader,
} from './context.ts';
export { TaskFailure } from './operator.ts';
export { MAX_OUTPUT_BYTES, outputJson, TaskOutputError } from './output.ts';
export type { CheckResult, Operator, TaskOutcome } from './operator.ts';
export type { CommandIo, PipelineCommand, PipelineSample } from './command.ts';
