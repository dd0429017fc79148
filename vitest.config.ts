import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'pipelines/**/*.test.ts', 'test/**/*.test.ts'],
    // The chaos tests run on their own: `npm run test:chaos` (vitest.chaos.config.ts).
    exclude: [...configDefaults.exclude, 'test/chaos/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The summary reporter ends with a plain `N passed, N failed, N skipped` line and names skipped tests.
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
