import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';

/**
 * The id of this agent's enrollment, made once and kept (0600) until the
 * identity is stored: every retry of Enroll — in this run or after a restart —
 * sends the same id, so the server answers with the same agent, whose token
 * use is already counted. A damaged file is replaced: the id only has to be
 * stable, not secret beyond the state dir.
 */
export async function enrollmentRequestId(path: string): Promise<string> {
  try {
    const { id } = JSON.parse(await readFile(path, 'utf8')) as { id?: unknown };
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
  }
  const id = randomUUID();
  await writeFileAtomic(path, `${JSON.stringify({ id, createdAt: Date.now() })}\n`, 0o600);
  return id;
}

/** Enrolled: the identity is stored, the request id has done its work. */
export async function forgetEnrollmentRequest(path: string): Promise<void> {
  await rm(path, { force: true });
}
