/**
 * What becomes of a task instance when one of its tries ends. A failure is retried while the
 * task has retries left, after its delay (doubled at each retry with exponential backoff, up to
 * the maximum delay), unless it is final (a sensor's timeout); a try lost with its worker goes
 * back to the queue at once and uses none. A sensor that found nothing yet is rescheduled: the
 * same try goes on at its next poke, and no retry is used.
 */

/** The task's retry settings, as a task instance keeps them. */
export interface RetrySettings {
  /** Tries after the first one when the work fails. */
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly retryExponentialBackoff: boolean;
  /** The longest delay with exponential backoff; a fixed delay is never cut. */
  readonly maxRetryDelayMs: number;
}

/**
 * How a try's work ended: `final` is a failure no retry can mend (Airflow's AirflowFailException,
 * a sensor's timeout); `skipped`, a task that skipped itself (a soft-failing sensor).
 */
export type TryEnding = 'success' | 'failed' | 'final' | 'skipped' | { readonly rescheduleAt: number };

export type TryVerdict =
  | { readonly state: 'success' }
  | { readonly state: 'skipped' }
  | { readonly state: 'up_for_reschedule'; readonly readyAt: number }
  /** `failures` counts the failed tries of this task so far, this one included. */
  | { readonly state: 'up_for_retry'; readonly retryAt: number; readonly failures: number }
  | { readonly state: 'failed'; readonly failures: number };

/**
 * The task instance's next state after its try's work ended at `now`, given its settings and how
 * many of its tries failed before this one.
 */
export function afterTry(
  ending: TryEnding,
  settings: RetrySettings,
  failuresBefore: number,
  now: number,
): TryVerdict {
  if (ending === 'success' || ending === 'skipped') return { state: ending };
  if (typeof ending === 'object')
    return { state: 'up_for_reschedule', readyAt: Math.max(now, ending.rescheduleAt) };
  const failures = failuresBefore + 1;
  if (ending === 'final' || failures > settings.retries) return { state: 'failed', failures };
  return { state: 'up_for_retry', retryAt: now + retryDelay(settings, failures), failures };
}

/** A try lost with its worker (a zombie) is no failure of the work: queued again now, no retry used. */
export function afterLostTry(now: number): { readonly state: 'queued'; readonly readyAt: number } {
  return { state: 'queued', readyAt: now };
}

/** The wait before the retry that follows the `failures`-th failed try. */
export function retryDelay(settings: RetrySettings, failures: number): number {
  if (!settings.retryExponentialBackoff) return settings.retryDelayMs;
  return Math.min(settings.retryDelayMs * 2 ** (failures - 1), settings.maxRetryDelayMs);
}
