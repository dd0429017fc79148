import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// In this repository `downbeat` is its own source, as tsconfig.json's paths say: tests and the DAGs
// they load share the classes the code under test uses.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^downbeat\/testing$/, replacement: source('./src/testing/index.ts') },
      { find: /^downbeat$/, replacement: source('./src/index.ts') },
    ],
  },
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
