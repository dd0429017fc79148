import { describe, expect, it } from 'vitest';
import { LIFECYCLE_CASES, simulateRun } from './testing.ts';

describe('the lifecycle cases, by src/lifecycle/ alone', () => {
  it.each(LIFECYCLE_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(simulateRun(c)).toEqual(c.expected);
    expect(simulateRun(c, { retries: false })).toEqual(c.withoutRetries ?? c.expected);
  });
});
