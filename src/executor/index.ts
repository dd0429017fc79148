export { deadlineAlerts } from './alerts.ts';
export { executeTask, TaskTimeoutError } from './execute-task.ts';
export type { ExecuteTaskOptions, TryResult } from './execute-task.ts';
export { runInProcess, runStateOf } from './run-in-process.ts';
export type { RunInProcessOptions, TaskRunResult } from './run-in-process.ts';
export { Worker } from './worker.ts';
export type { WorkerOptions } from './worker.ts';
