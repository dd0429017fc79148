import { describe, expect, it } from 'vitest';
import { afterLostTry, afterTry, retryDelay, type RetrySettings } from './retry-policy.ts';

const MINUTE = 60_000;
const fixed: RetrySettings = {
  retries: 3,
  retryDelayMs: 5 * MINUTE,
  retryExponentialBackoff: false,
  maxRetryDelayMs: 60 * MINUTE,
};
const exponential: RetrySettings = { ...fixed, retries: 10, retryExponentialBackoff: true };
const NOW = 1_000_000;

describe('afterTry', () => {
  it('succeeds on a success, whatever failed before', () => {
    expect(afterTry('success', fixed, 0, NOW)).toEqual({ state: 'success' });
    expect(afterTry('success', fixed, 3, NOW)).toEqual({ state: 'success' });
  });

  it('retries a failure while retries remain, after the fixed delay each time', () => {
    for (const before of [0, 1, 2])
      expect(afterTry('failed', fixed, before, NOW)).toEqual({
        state: 'up_for_retry',
        retryAt: NOW + 5 * MINUTE,
        failures: before + 1,
      });
  });

  it('fails a final failure (a sensor timed out) at once, retries left or not', () => {
    expect(afterTry('final', fixed, 0, NOW)).toEqual({ state: 'failed', failures: 1 });
  });

  it('reschedules a sensor that found nothing yet, using no retry, never into the past', () => {
    expect(afterTry({ rescheduleAt: NOW + MINUTE }, fixed, 2, NOW)).toEqual({
      state: 'up_for_reschedule',
      readyAt: NOW + MINUTE,
    });
    expect(afterTry({ rescheduleAt: NOW - MINUTE }, fixed, 0, NOW)).toEqual({
      state: 'up_for_reschedule',
      readyAt: NOW,
    });
  });

  it('skips a task that skipped itself', () => {
    expect(afterTry('skipped', fixed, 1, NOW)).toEqual({ state: 'skipped' });
  });

  it('fails for good once the failures pass the retries', () => {
    expect(afterTry('failed', fixed, 3, NOW)).toEqual({ state: 'failed', failures: 4 });
    expect(afterTry('failed', { ...fixed, retries: 0 }, 0, NOW)).toEqual({ state: 'failed', failures: 1 });
  });

  it('doubles the delay at each retry with exponential backoff, up to the maximum delay', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((failures) => retryDelay(exponential, failures) / MINUTE);
    expect(delays).toEqual([5, 10, 20, 40, 60, 60]);
    expect(afterTry('failed', exponential, 2, NOW)).toEqual({
      state: 'up_for_retry',
      retryAt: NOW + 20 * MINUTE,
      failures: 3,
    });
  });

  it('never cuts a fixed delay to the maximum (the maximum is for backoff)', () => {
    expect(retryDelay({ ...fixed, retryDelayMs: 90 * MINUTE }, 1)).toBe(90 * MINUTE);
  });

  it('retries at once with a zero delay', () => {
    expect(afterTry('failed', { ...fixed, retryDelayMs: 0 }, 0, NOW)).toMatchObject({ retryAt: NOW });
  });
});

describe('afterLostTry', () => {
  it('queues a lost try again at once', () => {
    expect(afterLostTry(NOW)).toEqual({ state: 'queued', readyAt: NOW });
  });
});
