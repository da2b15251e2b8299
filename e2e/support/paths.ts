import { fileURLToPath } from 'node:url';

/** The repository root, wherever vitest was started from. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
