import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two at a time: most test files wait on simulators and Redis, so two forks keep both cores busy (CI 6.7 → ~4 min).
    maxWorkers: 2,
    // Probes Redis once for the bot tests (test/bot); see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
  },
});
