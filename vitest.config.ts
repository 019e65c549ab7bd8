import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Probes Redis once for the bot tests (test/bot); see test/global-setup.ts.
    globalSetup: ['test/global-setup.ts'],
  },
});
