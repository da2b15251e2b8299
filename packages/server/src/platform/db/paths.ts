import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package root, found by walking up from this file: the same code
 * runs from src/ (tests, tsx) and bundled from dist/.
 */
export function serverPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'migrations')) && existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the @opsline/server package root (with migrations/)');
    dir = parent;
  }
}

export const migrationsDir = (): string => join(serverPackageRoot(), 'migrations');
