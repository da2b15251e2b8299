export { taskNotStarted as notStarted } from '@opsline/contracts';

/** The first non-blank line, trimmed: what a helper's stderr says in an error message. */
export const firstLine = (s: string): string => s.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Why sudo did not run a command as `user`, from what it (or the shell, when it is missing) printed. */
export function describeSudoFailure(user: string, stderr: string, code: number | null): string {
  const said = firstLine(stderr);
  // 127: the shell found no sudo to run.
  if (code === 127 && /sudo/.test(said)) return `runAs "${user}" needs sudo, which is not installed on this host`;
  return `runAs "${user}": sudo refused: ${said || `exit ${code}`}`;
}
