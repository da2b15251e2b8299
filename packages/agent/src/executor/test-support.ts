import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Test-only helpers for the executor's tests (real processes, real files). */

/** A fresh state dir like the agent's, with its `tmp` inside; `remove()` afterwards. */
export async function makeStateDir(): Promise<{ stateDir: string; tmpDir: string; remove: () => Promise<void> }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'opsline-agent-test-'));
  return { stateDir, tmpDir: join(stateDir, 'tmp'), remove: () => rm(stateDir, { recursive: true, force: true }) };
}

export const newTaskId = (): string => `t-${randomUUID()}`;

/**
 * Whether a pid names a running process. A zombie (dead, waiting for init to
 * reap it, which this machine's init does late) is not running.
 */
export function pidAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Polls `check` until it returns a value (not undefined/false) or the deadline
 * passes: tests wait on conditions, never for fixed times.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    // A polling interval bounded by the deadline, not a wait for timing.
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 100);
  }
}
