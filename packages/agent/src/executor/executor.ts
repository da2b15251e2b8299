import { TaskId, type TaskAssignmentInput, type TaskResult } from '@opsline/contracts';
import { runTask, type TaskRunSettings } from './run-task.js';
import type { OutputSink } from './task-output.js';

export const DEFAULT_MAX_TASKS = 16;

export interface ExecutorOptions extends TaskRunSettings {
  /** Tasks running at once (`--max-tasks`); more wait their turn in arrival order. */
  maxTasks?: number;
}

export interface RunOptions {
  onOutput?: OutputSink;
  /** The task's pid (= its process group id) once it has started. */
  onStart?: (pid: number) => void;
}

interface TaskEntry {
  taskId: string;
  task: TaskAssignmentInput;
  onOutput: OutputSink | undefined;
  onStart: ((pid: number) => void) | undefined;
  controller: AbortController;
  state: 'queued' | 'running';
  promise: Promise<TaskResult>;
  resolve: (result: TaskResult) => void;
}

/**
 * The agent's running tasks: at most `maxTasks` at once, the rest queued in
 * order. Killing works for running tasks (group SIGTERM, then SIGKILL) and
 * queued ones (they end `killed` without starting).
 *
 * A task id already running or queued is not started twice: `run` returns
 * the promise of the first (an assignment re-sent after a reconnect). Knowing
 * which ids already *finished* is the agent state's job, not this one's.
 */
export class Executor {
  readonly maxTasks: number;
  private readonly settings: TaskRunSettings;
  private readonly tasks = new Map<string, TaskEntry>();
  private readonly queue: TaskEntry[] = [];
  private active = 0;

  constructor(options: ExecutorOptions) {
    const { maxTasks = DEFAULT_MAX_TASKS, ...settings } = options;
    if (!Number.isInteger(maxTasks) || maxTasks < 1) throw new RangeError(`maxTasks must be a positive integer, got ${maxTasks}`);
    this.maxTasks = maxTasks;
    this.settings = settings;
  }

  run(task: TaskAssignmentInput, options: RunOptions = {}): Promise<TaskResult> {
    // An id that is not one cannot key the table: runTask turns it into a failed result at once.
    if (!TaskId.safeParse(task.taskId).success) return runTask(task, { ...this.settings, onOutput: options.onOutput });
    const existing = this.tasks.get(task.taskId);
    if (existing) return existing.promise;
    let resolve!: (result: TaskResult) => void;
    const promise = new Promise<TaskResult>((r) => (resolve = r));
    const entry: TaskEntry = {
      taskId: task.taskId,
      task,
      onOutput: options.onOutput,
      onStart: options.onStart,
      controller: new AbortController(),
      state: 'queued',
      promise,
      resolve,
    };
    this.tasks.set(entry.taskId, entry);
    this.queue.push(entry);
    this.startQueued();
    return promise;
  }

  /** Kills a running or queued task; false when no such task is here. */
  kill(taskId: string): boolean {
    const entry = this.tasks.get(taskId);
    if (!entry) return false;
    entry.controller.abort();
    const at = this.queue.indexOf(entry);
    if (at !== -1) {
      this.queue.splice(at, 1);
      // Needs no slot: with its signal aborted it ends without starting.
      this.start(entry, false);
    }
    return true;
  }

  /** Ids of the tasks running now. */
  running(): string[] {
    return [...this.tasks.values()].filter((e) => e.state === 'running').map((e) => e.taskId);
  }

  /** Ids of the tasks waiting for a slot, in the order they will start. */
  queued(): string[] {
    return this.queue.map((e) => e.taskId);
  }

  private startQueued(): void {
    while (this.active < this.maxTasks) {
      const next = this.queue.shift();
      if (!next) return;
      this.start(next, true);
    }
  }

  private start(entry: TaskEntry, takesSlot: boolean): void {
    if (takesSlot) {
      this.active++;
      entry.state = 'running';
    }
    void runTask(entry.task, { ...this.settings, onOutput: entry.onOutput, onStart: entry.onStart, signal: entry.controller.signal }).then((result) => {
      this.tasks.delete(entry.taskId);
      if (takesSlot) this.active--;
      entry.resolve(result);
      this.startQueued();
    });
  }
}

export function createExecutor(options: ExecutorOptions): Executor {
  return new Executor(options);
}
