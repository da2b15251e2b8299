import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child started with `detached: true` (its own process group): the
 * whole group gets SIGTERM, so tsx's child and a task's processes go too,
 * then SIGKILL if it has not exited within `timeoutMs`.
 */
export async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
