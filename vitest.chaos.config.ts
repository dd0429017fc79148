import { defineConfig } from 'vitest/config';

// The chaos tests (`npm run test:chaos`): long, so kept out of `npm test`'s config.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
