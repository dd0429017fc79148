export { createDueRuns, dueIntervals } from './create-due-runs.ts';
export { Scheduler } from './scheduler.ts';
export type { LoopResult, SchedulerOptions } from './scheduler.ts';
