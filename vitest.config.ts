import { defineConfig } from 'vitest/config';

/** `*.pg.test.ts` need real PostgreSQL (several servers on one database): only the PostgreSQL run has it. */
const onPostgres = process.env.OPSLINE_TEST_DB === 'postgres';

/**
 * Two projects: `server` (unit + integration, contracts and server, on PGlite
 * or on PostgreSQL when OPSLINE_TEST_DB=postgres, which adds the `*.pg.test.ts`
 * multi-server suites) and `e2e` (the built console
 * in Debian's Chromium). `npm test` (scripts/test.mjs) runs both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'server',
          include: ['packages/contracts/src/**/*.test.ts', 'packages/server/src/**/*.test.ts'],
          exclude: onPostgres ? [] : ['**/*.pg.test.ts'],
          environment: 'node',
          pool: 'forks',
          // Two cores: two test files at a time (vitest would use one).
          maxWorkers: 2,
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
