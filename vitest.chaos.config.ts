import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The chaos tests (`npm run test:chaos`): long, so kept out of `npm test`'s config.
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
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
