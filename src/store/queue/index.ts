/**
 * The work queue, as workers and the scheduler use it: claim ready task instances, heartbeat,
 * append to a try's log while it runs, record a try's end (and what it makes ready), requeue the
 * tries of dead workers, and LISTEN for work on PostgreSQL.
 */
export { claimTasks, heartbeat } from './claim.ts';
export type { ClaimedTask, ClaimScope } from './claim.ts';
export { endTriesAndClaim, endTry, endTryAndClaim } from './end-try.ts';
export type { HandedEnd, TryEndResult } from './end-try.ts';
export type { TryEnd } from './record-try.ts';
export { appendLog } from './logs.ts';
export { requeueZombies } from './zombies.ts';
export { QueueListener } from './queue-listener.ts';
