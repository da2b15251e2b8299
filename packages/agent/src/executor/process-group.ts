import { readdir, readFile } from 'node:fs/promises';

/**
 * Signals to a task's process group. Tasks are spawned detached, so the
 * script's pid is also its group id, and `kill(-pid)` reaches everything it
 * started (a `sleep` inside `bash -c` too) unless a child left the group on
 * purpose (setsid, daemons), which only cgroups could catch.
 */

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * Sends `signal` to the group; false when it reached no one (the group is
 * gone, or EPERM: its members all became another user, e.g. via sudo). Never
 * throws: it runs from timers, where a throw would take the agent down.
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any process of the group still runs. A killed grandchild is
 * re-parented to init and stays a zombie until init reaps it, which some
 * inits do late (or, in a container, never): zombies are dead, so on Linux
 * they do not count. Elsewhere, any member counts.
 */
export async function groupRunning(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    // EPERM: it exists but is not ours to signal.
    if (errno(err) === 'ESRCH') return false;
  }
  const live = await liveMembers(pgid);
  return live === undefined || live > 0;
}

/** Members of the group that are not zombies, from /proc; undefined without /proc. */
async function liveMembers(pgid: number): Promise<number | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const states = await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e))
      .map(async (pid) => {
        // `pid (comm) state ppid pgrp …`: comm may hold spaces and parens, so parse after the last ')'.
        const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[2]) === pgid ? fields[0] : undefined;
      }),
  );
  return states.filter((s) => s !== undefined && s !== 'Z' && s !== 'X').length;
}

/** Polls until no process of the group runs or `deadline` (epoch ms) passes; true if none runs. */
export async function waitGroupGone(pgid: number, deadline: number, pollMs = 25): Promise<boolean> {
  while (await groupRunning(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  return true;
}
