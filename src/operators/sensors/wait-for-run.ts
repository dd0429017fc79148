import { durationMs, TaskFailure, type Duration, type Operator } from '../../dag/index.ts';
import { DownbeatError } from '../../errors/index.ts';
import { sensorOperator, type SensorOptions } from './sensor.ts';

export interface WaitForRunOptions extends SensorOptions {
  /** The DAG whose run this one waits for. */
  readonly dagId: string;
  /** That run's logical date is this run's minus `delta`. @default 0 */
  readonly delta?: Duration;
  /** Wait for this task of that run, not for the whole run. @default the run */
  readonly taskId?: string;
  /** States of that run (or task) that end the wait well. @default ['success'] */
  readonly allowedStates?: readonly string[];
  /** States that fail this sensor at once, with no retry. @default none: it waits to its timeout */
  readonly failedStates?: readonly string[];
}

/**
 * Airflow's ExternalTaskSensor: waits until another DAG's run at this run's logical date minus
 * `delta` (or one task of that run) is in an allowed state, reading the metadata DB.
 */
export function waitForRun(options: WaitForRunOptions): Operator {
  let deltaMs = 0;
  try {
    deltaMs = options.delta === undefined ? 0 : durationMs(options.delta);
  } catch (error) {
    throw new DownbeatError('invalid_sensor', `wait_for_run delta: ${(error as Error).message}`);
  }
  const allowed = options.allowedStates ?? ['success'];
  const failed = options.failedStates ?? [];
  return sensorOperator(
    'wait_for_run',
    {
      dagId: options.dagId,
      delta: deltaMs,
      ...(options.taskId === undefined ? {} : { taskId: options.taskId }),
      allowedStates: allowed,
      failedStates: failed,
    },
    options,
    async (context) => {
      const at = new Date(context.logicalDate.getTime() - deltaMs);
      const what = `${options.dagId}${options.taskId === undefined ? '' : `.${options.taskId}`} at ${at.toISOString()}`;
      const state = await context.runs.state(options.dagId, at, options.taskId);
      if (state !== undefined && failed.includes(state)) {
        throw new TaskFailure('upstream_dag_failed', `${what} is ${state}`, {}, { final: true });
      }
      if (state !== undefined && allowed.includes(state)) return { met: true, detail: `${what} is ${state}` };
      return {
        met: false,
        detail: `waiting for ${what} to be ${allowed.join(' or ')} (it is ${state ?? 'not there'})`,
      };
    },
  );
}
