import { durationMs, type Duration } from './duration.ts';
import { isTriggerRule, TRIGGER_RULES, type TriggerRule } from './trigger-rules.ts';

/** Settings every task of a DAG shares unless a task overrides them (Airflow's `default_args`). */
export interface TaskSettings {
  /** Tries after the first one when the work fails. @default 0 */
  readonly retries?: number;
  /** Wait before a retry. @default '5m' */
  readonly retryDelay?: Duration;
  /** Double the delay at each retry, up to `maxRetryDelay`. @default false */
  readonly retryExponentialBackoff?: boolean;
  /** @default '1h' */
  readonly maxRetryDelay?: Duration;
  /**
   * Run only once this task succeeded or was skipped in the DAG's previous run (Airflow's
   * depends_on_past); the first run, and `dags test`, are exempt. @default false
   */
  readonly dependsOnPast?: boolean;
  /** With dependsOnPast, also this task's downstream tasks in the previous run. @default false */
  readonly waitForDownstream?: boolean;
  /** When the task may start, given how its upstream tasks ended (Airflow's). @default 'all_success' */
  readonly triggerRule?: TriggerRule;
  /** The work is cancelled after this long. @default none */
  readonly timeout?: Duration;
  /**
   * The pool whose slots the task takes while it runs (`downbeat pools set NAME SLOTS`): at most
   * that many of its tasks run at once, across every worker. @default 'default_pool'
   */
  readonly pool?: string;
  /** The slots of its pool the task takes. @default 1 */
  readonly poolSlots?: number;
  /**
   * Among ready tasks of the same kind of run (scheduled and manual before backfill), a higher
   * weight is claimed first (Airflow's priority_weight, weighted 'absolute'). @default 1
   */
  readonly priorityWeight?: number;
  /** Send an alert on each retry, not only when the task fails for good. @default false */
  readonly alertOnRetry?: boolean;
  /**
   * The connection alerts are POSTed to as JSON (an http(s) URL) when the task fails for good.
   * Nothing is sent while no such connection is defined. @default 'alert_webhook'
   */
  readonly alertConnection?: string;
  /** Called after a try succeeds. A callback that throws is logged, never fails the task. */
  readonly onSuccess?: TaskCallback;
  /** Called when a try failed and the task will be retried. */
  readonly onRetry?: TaskCallback;
  /** Called when the task failed for good. */
  readonly onFailure?: TaskCallback;
}

/** What a callback is told about the try that triggered it. */
export interface TaskEvent {
  readonly dagId: string;
  readonly taskId: string;
  readonly runId: string;
  readonly logicalDate: Date;
  readonly tryNumber: number;
  readonly state: 'success' | 'up_for_retry' | 'failed';
  readonly error?: { readonly code: string; readonly message: string };
}

export type TaskCallback = (event: TaskEvent) => void | Promise<void>;

/** Task settings with defaults applied and durations in milliseconds. */
export interface ResolvedTaskSettings {
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly retryExponentialBackoff: boolean;
  readonly maxRetryDelayMs: number;
  readonly dependsOnPast: boolean;
  readonly waitForDownstream: boolean;
  readonly triggerRule: TriggerRule;
  readonly timeoutMs: number | null;
  readonly pool: string;
  readonly poolSlots: number;
  readonly priorityWeight: number;
  readonly alertOnRetry: boolean;
  readonly alertConnection: string;
}

/** A task's callbacks; kept apart from its settings, which are stored as JSON. */
export interface TaskCallbacks {
  readonly onSuccess?: TaskCallback;
  readonly onRetry?: TaskCallback;
  readonly onFailure?: TaskCallback;
}

/**
 * A task's settings with defaults applied; each bad value is pushed onto `problems` (which names
 * the task) and replaced by its default.
 */
export function resolveTaskSettings(
  taskId: string,
  settings: TaskSettings,
  problems: string[],
): ResolvedTaskSettings {
  const ms = (value: Duration | undefined, fallback: number | null, name: string): number | null => {
    if (value === undefined) return fallback;
    try {
      return durationMs(value);
    } catch (error) {
      problems.push(`task "${taskId}" ${name}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const retries = settings.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) {
    problems.push(`task "${taskId}" retries must be a whole number ≥ 0, got ${retries}`);
  }
  const whole = (name: 'poolSlots' | 'priorityWeight', fallback: number, min: number): number => {
    const value = settings[name] ?? fallback;
    if (Number.isInteger(value) && value >= min) return value;
    problems.push(`task "${taskId}" ${name} must be a whole number ≥ ${min}, got ${String(value)}`);
    return fallback;
  };
  const pool = settings.pool ?? 'default_pool';
  if (!/^[A-Za-z0-9_.-]{1,250}$/.test(pool)) {
    problems.push(`task "${taskId}" pool "${pool}" must be letters, digits, _ . or -`);
  }
  const triggerRule = settings.triggerRule ?? 'all_success';
  if (!isTriggerRule(triggerRule)) {
    problems.push(
      `task "${taskId}" triggerRule "${String(triggerRule)}" is not a trigger rule (${TRIGGER_RULES.join(', ')})`,
    );
  }
  return {
    retries,
    triggerRule: isTriggerRule(triggerRule) ? triggerRule : 'all_success',
    retryDelayMs: ms(settings.retryDelay, 300_000, 'retryDelay') ?? 300_000,
    retryExponentialBackoff: settings.retryExponentialBackoff ?? false,
    maxRetryDelayMs: ms(settings.maxRetryDelay, 3_600_000, 'maxRetryDelay') ?? 3_600_000,
    // Waiting for the past's downstream implies waiting for the past (as in Airflow).
    dependsOnPast: (settings.dependsOnPast ?? false) || (settings.waitForDownstream ?? false),
    waitForDownstream: settings.waitForDownstream ?? false,
    timeoutMs: ms(settings.timeout, null, 'timeout'),
    pool,
    poolSlots: whole('poolSlots', 1, 1),
    priorityWeight: whole('priorityWeight', 1, -1_000_000),
    alertOnRetry: settings.alertOnRetry ?? false,
    alertConnection: settings.alertConnection ?? 'alert_webhook',
  };
}
