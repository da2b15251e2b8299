import { defineConfig } from 'vitest/config';

/**
 * Two projects: `server` (unit + integration, contracts and server, on PGlite
 * or on PostgreSQL when OPSLINE_TEST_DB=postgres) and `e2e` (the built console
 * in Debian's Chromium). `npm test` (scripts/test.mjs) runs both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['packages/contracts/src/**/*.test.ts', 'packages/server/src/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
