import type { TaskEvent } from '../dag/index.ts';

/**
 * POSTs an alert to an http(s) webhook as JSON. Bounded in time; a failure to send is returned as
 * a message for the worker's log, never thrown: an alert must not fail the work it reports on.
 */
export async function sendAlert(url: string, event: TaskEvent): Promise<string | undefined> {
  if (!/^https?:\/\//.test(url)) return `alert connection is not an http(s) URL`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'downbeat',
        kind: event.state === 'failed' ? 'task_failed' : 'task_retry',
        dag_id: event.dagId,
        task_id: event.taskId,
        run_id: event.runId,
        logical_date: event.logicalDate.toISOString(),
        try_number: event.tryNumber,
        state: event.state,
        error: event.error ?? null,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? undefined : `alert webhook answered ${response.status}`;
  } catch (error) {
    return `alert webhook unreachable: ${(error as Error).message}`;
  }
}
