import { open, readFile } from 'node:fs/promises';
import { TaskStatus, type TaskResult } from '@opsline/contracts';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';

/** How many finished task ids the agent remembers (a re-sent TaskAssign older than that would run again). */
export const DEFAULT_JOURNAL_LIMIT = 10_000;

/** A finished task's outcome without its output tails: small enough to keep thousands. */
export const FinishedTask = z.object({
  taskId: z.string(),
  status: TaskStatus,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stdoutBytes: z.number().int().nonnegative(),
  stderrBytes: z.number().int().nonnegative(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int(),
  error: z.string().nullable(),
});
export type FinishedTask = z.infer<typeof FinishedTask>;

export function summarize(result: TaskResult): FinishedTask {
  const { stdout: _o, stderr: _e, ...rest } = result;
  return rest;
}

/**
 * The ids of tasks whose results the server acked, newest last, so a
 * TaskAssign the server re-sends for one of them (its Ack was lost in a cut)
 * is answered from here instead of running the script a second time.
 *
 * On disk: one JSON line per task, appended (and fsynced) at each ack; the
 * file is rewritten with the newest `limit` entries once it holds twice that.
 * A torn last line (a crash mid-append) is skipped on load.
 */
export class FinishedJournal {
  private readonly entries = new Map<string, FinishedTask>();
  private lines = 0;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private readonly limit: number,
  ) {}

  static async open(path: string, limit = DEFAULT_JOURNAL_LIMIT): Promise<FinishedJournal> {
    const journal = new FinishedJournal(path, limit);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      journal.lines++;
      let entry: ReturnType<typeof FinishedTask.safeParse>;
      try {
        entry = FinishedTask.safeParse(JSON.parse(line));
      } catch {
        continue;
      }
      if (entry.success) journal.remember(entry.data);
    }
    return journal;
  }

  get(taskId: string): FinishedTask | undefined {
    return this.entries.get(taskId);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Records a finished task; resolves once it is on disk. */
  add(entry: FinishedTask): Promise<void> {
    this.remember(entry);
    const line = `${JSON.stringify(entry)}\n`;
    const run = this.chain.then(async () => {
      // The rewrite holds every entry remembered so far, this one included. (An entry
      // queued behind it may then be appended once more: loading keeps the last copy.)
      if (this.lines + 1 > this.limit * 2) return this.compact();
      const file = await open(this.path, 'a', 0o600);
      try {
        await file.writeFile(line);
        await file.sync();
      } finally {
        await file.close();
      }
      this.lines++;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private remember(entry: FinishedTask): void {
    this.entries.delete(entry.taskId);
    this.entries.set(entry.taskId, entry);
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  private async compact(): Promise<void> {
    const text = [...this.entries.values()].map((e) => `${JSON.stringify(e)}\n`).join('');
    await writeFileAtomic(this.path, text, 0o600);
    this.lines = this.entries.size;
  }
}
