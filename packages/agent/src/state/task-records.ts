import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskResult } from '@opsline/contracts';
import { z } from 'zod';
import { syncDir, writeFileAtomic } from './atomic-file.js';

/**
 * What the agent knows of one accepted task, on disk at
 * `<state>/tasks/<taskId>.json` from the moment it is accepted until the
 * server acks its result (seed 6.6: what was handed over must not vanish).
 */
export const TaskRecord = z.object({
  taskId: z.string(),
  /** accepted: not started yet; running: its process runs; finished: `result` is set and waits for ResultAck. */
  state: z.enum(['accepted', 'running', 'finished']),
  acceptedAt: z.number().int(),
  /** The task's pid (= process group id) once it runs. */
  pid: z.number().int().positive().optional(),
  /** Field 22 of /proc/<pid>/stat: tells the task's process from a later one that got the same pid. */
  pidStartTicks: z.number().int().nonnegative().optional(),
  /** /proc/sys/kernel/random/boot_id when it started: after a reboot no pid is the task's. */
  bootId: z.string().optional(),
  startedAt: z.number().int().optional(),
  /** The last output seen (base64), saved now and then so a task lost to an agent restart keeps some of it. */
  output: z
    .object({ stdoutTail: z.string(), stderrTail: z.string(), stdoutBytes: z.number(), stderrBytes: z.number(), savedAt: z.number() })
    .optional(),
  result: TaskResult.optional(),
});
export type TaskRecord = z.infer<typeof TaskRecord>;

/**
 * The task records of a state dir. Writes of one task are applied in the
 * order they were asked for (a periodic output save queued before the result
 * can never land after it), each one atomic.
 */
export class TaskRecordStore {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  private pathOf(taskId: string): string {
    return join(this.dir, `${taskId}.json`);
  }

  /** Writes a snapshot of the record (taken now, written in turn). */
  write(record: TaskRecord): Promise<void> {
    const text = `${JSON.stringify(record)}\n`;
    return this.enqueue(record.taskId, () => writeFileAtomic(this.pathOf(record.taskId), text, 0o600));
  }

  remove(taskId: string): Promise<void> {
    return this.enqueue(taskId, async () => {
      await rm(this.pathOf(taskId), { force: true });
      await syncDir(this.dir);
    });
  }

  /**
   * Every record in the dir. A file that is not a record (it cannot be torn:
   * writes are atomic, so it was put there or damaged by something else) is
   * renamed `*.bad` and reported, not silently dropped.
   */
  async list(onBad: (file: string, why: string) => void): Promise<TaskRecord[]> {
    const records: TaskRecord[] = [];
    for (const name of (await readdir(this.dir)).sort()) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const path = join(this.dir, name);
      let parsed: ReturnType<typeof TaskRecord.safeParse> | undefined;
      try {
        parsed = TaskRecord.safeParse(JSON.parse(await readFile(path, 'utf8')));
      } catch {
        parsed = undefined;
      }
      if (parsed?.success && `${parsed.data.taskId}.json` === name) {
        records.push(parsed.data);
      } else {
        await rename(path, `${path}.bad`);
        onBad(`${path}.bad`, parsed ? 'not a task record' : 'not JSON');
      }
    }
    return records;
  }

  /** Resolves once every write asked for so far has finished (or failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private enqueue(taskId: string, op: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(taskId) ?? Promise.resolve();
    const next = previous.then(op);
    const tail = next.catch(() => undefined);
    this.chains.set(taskId, tail);
    void tail.then(() => {
      if (this.chains.get(taskId) === tail) this.chains.delete(taskId);
    });
    return next;
  }
}
