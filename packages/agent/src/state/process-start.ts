import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * Facts that tell one process from another that later got the same pid:
 * its start time (field 22 of /proc/<pid>/stat, clock ticks after boot) and
 * the boot it started in.
 */

/** `pid (comm) state ppid …`: comm may hold spaces and parens, so fields are counted after the last ')'. */
export function parseProcessStart(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[19]);
  return fields.length > 19 && Number.isInteger(ticks) ? ticks : undefined;
}

/** Undefined when no such process (or no /proc). */
export async function readProcessStart(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined ? undefined : parseProcessStart(stat);
}

/** Synchronous: called the moment a task has spawned, so its record is queued before anything can end it. */
export function readProcessStartSync(pid: number): number | undefined {
  try {
    return parseProcessStart(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function readBootId(): Promise<string | undefined> {
  const id = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
  return id?.trim() || undefined;
}
