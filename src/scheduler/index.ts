export { createDueRuns } from './create-due-runs.ts';
export { Scheduler } from './scheduler.ts';
export type { LoopResult, SchedulerOptions } from './scheduler.ts';
