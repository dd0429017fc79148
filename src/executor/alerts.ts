import type { ConnectionResolver, Dag, TaskEvent } from '../dag/index.ts';

/** A task's end worth an alert (it failed for good, or is retried and the task asks to be told). */
export function sendAlert(url: string, event: TaskEvent): Promise<string | undefined> {
  return postAlert(url, {
    source: 'downbeat',
    kind: event.state === 'failed' ? 'task_failed' : 'task_retry',
    dag_id: event.dagId,
    task_id: event.taskId,
    run_id: event.runId,
    logical_date: event.logicalDate.toISOString(),
    try_number: event.tryNumber,
    state: event.state,
    error: event.error ?? null,
  });
}

/**
 * What the scheduler calls with the runs of a DAG it found past their deadline: one alert of them
 * all through the DAG's alert connection, when it has one (none: alerts are off; the misses are
 * recorded all the same). A failure to send goes to `log`.
 */
export function deadlineAlerts(
  connectionsFor: (dag: Dag) => ConnectionResolver & { uri?(connectionId: string): string },
  log: (line: string) => void = () => undefined,
): (dag: Dag, missed: readonly DeadlineMiss[]) => Promise<void> {
  return async (dag, missed) => {
    let url: string;
    try {
      url = connectionsFor(dag).uri?.(dag.alertConnection) ?? '';
    } catch {
      return;
    }
    if (!url) return;
    const problem = await sendDeadlineAlert(url, dag.id, dag.deadlineMs ?? 0, missed);
    if (problem) log(`${dag.id}: deadline alert: ${problem}`);
  };
}

interface DeadlineMiss {
  readonly runId: string;
  readonly logicalDate: number;
  readonly intervalEnd: number;
  readonly state: string;
}

/** Scheduled runs of a DAG found past its deadline, in one alert. */
export function sendDeadlineAlert(
  url: string,
  dagId: string,
  deadlineMs: number,
  runs: readonly DeadlineMiss[],
): Promise<string | undefined> {
  return postAlert(url, {
    source: 'downbeat',
    kind: 'deadline_missed',
    dag_id: dagId,
    deadline_ms: deadlineMs,
    runs: runs.map((r) => ({
      run_id: r.runId,
      logical_date: new Date(r.logicalDate).toISOString(),
      deadline: new Date(r.intervalEnd + deadlineMs).toISOString(),
      state: r.state,
    })),
  });
}

/**
 * POSTs an alert to an http(s) webhook as JSON. Bounded in time; a failure to send is returned as
 * a message for the log, never thrown: an alert must not fail the work it reports on.
 */
async function postAlert(url: string, body: Record<string, unknown>): Promise<string | undefined> {
  if (!/^https?:\/\//.test(url)) return `alert connection is not an http(s) URL`;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return response.ok ? undefined : `alert webhook answered ${response.status}`;
  } catch (error) {
    return `alert webhook unreachable: ${(error as Error).message}`;
  }
}
