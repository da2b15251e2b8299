import { defineConfig } from 'vitest/config';

/** `*.pg.test.ts` need real PostgreSQL (several servers on one database): only the PostgreSQL run has it. */
const onPostgres = process.env.OPSLINE_TEST_DB === 'postgres';

/**
 * Three projects: `server` (unit + integration, contracts and server, on PGlite
 * or on PostgreSQL when OPSLINE_TEST_DB=postgres, which adds the `*.pg.test.ts`
 * multi-server suites), `agent` (the host agent, with real processes) and
 * `e2e` (the built console in Debian's Chromium). `npm test`
 * (scripts/test.mjs) runs server and e2e.
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
          name: 'agent',
          include: ['packages/agent/src/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          // Tests start real processes (100 at once in one of them): two files at a time.
          maxWorkers: 2,
          testTimeout: 60_000,
          hookTimeout: 30_000,
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
