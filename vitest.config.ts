import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'pipelines/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The summary reporter ends with a plain `N passed, N failed, N skipped` line and names skipped tests.
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
