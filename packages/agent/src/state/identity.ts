import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';

/** What enrollment gave this agent; it proves itself with `agentSecret` on every Connect. */
export const AgentIdentity = z.object({
  agentId: z.string().min(1),
  agentSecret: z.string().min(1),
  /** The tree node the host landed on, for logs. */
  nodeId: z.string(),
  /** The hostname enrolled under; a later `--hostname` change is logged, not acted on. */
  hostname: z.string(),
  enrolledAt: z.number().int(),
});
export type AgentIdentity = z.infer<typeof AgentIdentity>;

export class IdentityFileError extends Error {
  override readonly name = 'IdentityFileError';
}

/** The stored identity, or undefined when the agent has not enrolled yet. A damaged file is an error, not "not enrolled". */
export async function readIdentity(path: string): Promise<AgentIdentity | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new IdentityFileError(`${path} is not valid JSON; move it away to enroll again with a new token`);
  }
  const parsed = AgentIdentity.safeParse(json);
  if (!parsed.success) throw new IdentityFileError(`${path} is not an agent identity; move it away to enroll again with a new token`);
  return parsed.data;
}

/** Stores the identity 0600 (it holds the agent's secret), atomically. */
export async function writeIdentity(path: string, identity: AgentIdentity): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
}
