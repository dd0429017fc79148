import type { Task, TaskEvent } from '../dag/index.ts';

/**
 * Calls the task's callback for the event (onSuccess, onRetry or onFailure). A callback that throws
 * or rejects is reported through `log`; it never changes the task's outcome.
 */
export async function runCallback(task: Task, event: TaskEvent, log: (line: string) => void): Promise<void> {
  const callback =
    event.state === 'success'
      ? task.callbacks.onSuccess
      : event.state === 'up_for_retry'
        ? task.callbacks.onRetry
        : task.callbacks.onFailure;
  if (!callback) return;
  try {
    await callback(event);
  } catch (error) {
    log(`${event.dagId}.${event.taskId}: the ${event.state} callback failed: ${(error as Error).message}`);
  }
}
