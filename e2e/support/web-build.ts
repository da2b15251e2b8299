import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/**
 * The e2e drives the console the server serves from packages/web/dist (and the
 * server bundle when there is one): build whatever is missing or older than its
 * sources, with the project's own build script, so a stale dist never passes
 * for the real thing. `npm test` has done this already; a direct
 * `vitest --project e2e` has not.
 */
export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/build.mjs'), 'web-if-stale'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (result.status !== 0) throw new Error(`the build failed:\n${result.stdout}\n${result.stderr}`);
}
