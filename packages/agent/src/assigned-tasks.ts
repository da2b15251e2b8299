import { TaskAssignment, TaskId, taskNotStarted, type TaskResult } from '@opsline/contracts';
import type { ZodError } from 'zod';
import type { Executor, OutputChunk } from './executor/index.js';
import type { Logger } from './logger.js';
import { summarize, type FinishedJournal } from './state/finished-journal.js';
import { resolveLeftoverTask } from './state/lost-tasks.js';
import { OutputTail } from './state/output-tail.js';
import { readProcessStartSync } from './state/process-start.js';
import type { TaskRecord, TaskRecordStore } from './state/task-records.js';

/** Where results and output go: the current session, if any. */
export interface TaskOutlet {
  /** Best effort: a result not acked is sent again after each reconnect. */
  sendResult(result: TaskResult): void;
  /** Best effort; a promise while the stream is full (the executor then coalesces output). */
  sendOutput(taskId: string, chunk: OutputChunk): void | Promise<void>;
}

/** An assignment as received: validated against contracts' TaskAssignment before anything runs. */
export interface UncheckedTask {
  taskId: string;
  [field: string]: unknown;
}

export interface AssignedTasksOptions {
  executor: Executor;
  store: TaskRecordStore;
  journal: FinishedJournal;
  outlet: TaskOutlet;
  logger: Logger;
  bootId: string | undefined;
  killGraceMs: number;
  /** How often the output of running tasks is saved to their records. */
  outputSaveIntervalMs?: number;
}

interface TaskEntry {
  taskId: string;
  record: TaskRecord;
  tail: OutputTail;
  result: TaskResult | undefined;
  killRequested: boolean;
  /** The server no longer wants it (Welcome.abandoned_task_ids): its result is dropped. */
  abandoned: boolean;
  lastSentAt: number;
  /** Settles once the result is on disk (or writing it failed and was logged). */
  finished: Promise<void>;
  markFinished: () => void;
}

export const DEFAULT_OUTPUT_SAVE_INTERVAL_MS = 5_000;

/**
 * The tasks this agent has accepted, from TaskAssign to ResultAck (seed
 * 6.6, 6.12). Each is on disk before the assignment is acked, and its result
 * is on disk before it is sent; it stays until the server acks the result,
 * then moves to the finished journal. A task id already known is never run
 * twice.
 */
export class AssignedTasks {
  private readonly entries = new Map<string, TaskEntry>();
  private readonly saveTimer: NodeJS.Timeout;
  private stopping = false;
  /** Called whenever a result is acked (or dropped), to wake whoever waits for none to be pending. */
  private ackWaiters: (() => void)[] = [];

  constructor(private readonly o: AssignedTasksOptions) {
    this.saveTimer = setInterval(() => this.saveOutputs(), o.outputSaveIntervalMs ?? DEFAULT_OUTPUT_SAVE_INTERVAL_MS);
    this.saveTimer.unref();
  }

  /**
   * Loads what an earlier agent process left: results not yet acked are
   * re-sent, tasks that had not finished are reported `lost`.
   */
  async recover(): Promise<{ pending: number; lost: number }> {
    const { store, journal, logger } = this.o;
    const records = await store.list((file, why) => logger.error({ file, why }, 'unreadable task record set aside'));
    let lost = 0;
    for (const record of records) {
      if (journal.get(record.taskId)) {
        // Acked, but the agent stopped before removing the record.
        await store.remove(record.taskId);
        continue;
      }
      const entry = this.addEntry(record.taskId, record);
      if (record.state === 'finished' && record.result) {
        await this.finish(entry, record.result, { write: false, send: false });
        continue;
      }
      const result = await resolveLeftoverTask(record, this.o.bootId, this.o.killGraceMs);
      logger.warn({ taskId: record.taskId, reason: result.error }, 'task left unfinished by an earlier agent process: reporting it lost');
      lost++;
      // Sent once a session is up (resendPending after Welcome).
      await this.finish(entry, result, { write: true, send: false });
    }
    return { pending: this.entries.size, lost };
  }

  /**
   * Takes a TaskAssign. Resolves with the Ack's error: empty when the task
   * was accepted (or was already known); otherwise why not — a `failed`
   * result saying the same follows, so the server waits for results only.
   */
  async assign(input: UncheckedTask): Promise<string> {
    const { taskId } = input;
    const id = TaskId.safeParse(taskId);
    if (!id.success) {
      // It cannot name a file: answered, not recorded.
      const error = `invalid task: taskId: ${id.error.issues[0]?.message ?? 'invalid'}`;
      this.o.outlet.sendResult(taskNotStarted(String(taskId), 'failed', error));
      return error;
    }
    const known = this.entries.get(taskId);
    if (known) {
      if (known.result) this.send(known, known.result);
      return '';
    }
    const done = this.o.journal.get(taskId);
    if (done) {
      // Acked long ago; the tails are gone, and the server keeps its first copy anyway.
      this.o.outlet.sendResult({ ...done, stdout: '', stderr: '' });
      return '';
    }
    const entry = this.addEntry(taskId, { taskId, state: 'accepted', acceptedAt: Date.now() });
    try {
      await this.o.store.write(entry.record);
    } catch (err) {
      this.entries.delete(taskId);
      const error = `the agent cannot record the task in its state dir: ${errorMessage(err)}`;
      this.o.logger.error({ taskId, err }, 'cannot record an assigned task');
      this.o.outlet.sendResult(taskNotStarted(taskId, 'failed', error));
      return error;
    }
    if (this.stopping) return this.refuse(entry, 'the agent is shutting down');
    const parsed = TaskAssignment.safeParse(input);
    if (!parsed.success) return this.refuse(entry, `invalid task: ${describeIssues(parsed.error)}`);
    void this.o.executor
      .run(parsed.data, {
        onOutput: (chunk) => {
          entry.tail.add(chunk);
          return this.o.outlet.sendOutput(taskId, chunk);
        },
        onStart: (pid) => this.recordStart(entry, pid),
      })
      .then((result) => this.finish(entry, result));
    if (entry.killRequested) this.o.executor.kill(taskId);
    return '';
  }

  /** Takes a TaskKill; resolves with the Ack's error ("unknown task" when this agent never had it). */
  kill(taskId: string): string {
    const entry = this.entries.get(taskId);
    if (entry) {
      if (entry.result) this.send(entry, entry.result);
      else {
        entry.killRequested = true;
        this.o.executor.kill(taskId);
      }
      return '';
    }
    return this.o.journal.get(taskId) ? '' : 'unknown task';
  }

  /** Takes a ResultAck: the server has stored the result, so the agent forgets it (keeping its id). */
  async acknowledge(taskId: string): Promise<void> {
    const entry = this.entries.get(taskId);
    if (!entry) return;
    if (!entry.result) {
      this.o.logger.warn({ taskId }, 'ResultAck for a task that has not finished: ignored');
      return;
    }
    await this.forget(entry, entry.result);
  }

  /** Welcome.abandoned_task_ids: kill them; their results are dropped, not sent. */
  abandon(taskIds: readonly string[]): void {
    for (const taskId of taskIds) {
      const entry = this.entries.get(taskId);
      if (!entry) continue;
      entry.abandoned = true;
      if (entry.result) void this.forget(entry, entry.result);
      else {
        entry.killRequested = true;
        this.o.executor.kill(taskId);
      }
    }
  }

  /** Results waiting for ResultAck, oldest first. */
  pendingResults(): TaskResult[] {
    return [...this.entries.values()].flatMap((e) => (e.result && !e.abandoned ? [e.result] : []));
  }

  /** Sends every result still waiting for its ack (after Welcome; and those unacked for `olderThanMs`). */
  resendPending(olderThanMs = 0, now = Date.now()): number {
    let sent = 0;
    for (const entry of this.entries.values()) {
      if (!entry.result || entry.abandoned || now - entry.lastSentAt < olderThanMs) continue;
      this.send(entry, entry.result, now);
      sent++;
    }
    return sent;
  }

  /** Resolves once no result waits for its ack, or after `timeoutMs`. */
  async whenAllAcked(timeoutMs: number): Promise<void> {
    let over = false;
    const timer = setTimeout(() => {
      over = true;
      this.wakeAckWaiters();
    }, timeoutMs);
    while (!over && this.pendingResults().length > 0) await new Promise<void>((resolve) => this.ackWaiters.push(resolve));
    clearTimeout(timer);
  }

  /** Accepted tasks without a result yet: running, queued or about to start (Hello.running_task_ids). */
  unfinishedIds(): string[] {
    return [...this.entries.values()].filter((e) => !e.result).map((e) => e.taskId);
  }

  counts(): { running: number; queued: number } {
    return { running: this.o.executor.running().length, queued: this.o.executor.queued().length };
  }

  /**
   * Graceful stop: new assignments are refused, queued tasks end `killed`,
   * running ones get `graceMs` to finish and are then killed; resolves once
   * every result is on disk.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    for (const taskId of this.o.executor.queued()) this.kill(taskId);
    const unfinished = () => [...this.entries.values()].filter((e) => !e.result);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(unfinished().map((e) => e.finished)), graceOver]);
    clearTimeout(timer);
    const left = unfinished();
    if (left.length > 0) this.o.logger.warn({ tasks: left.map((e) => e.taskId) }, 'grace period over: killing the tasks still running');
    for (const entry of left) this.kill(entry.taskId);
    await Promise.all([...this.entries.values()].map((e) => e.finished));
    clearInterval(this.saveTimer);
    await this.o.store.settled();
  }

  private addEntry(taskId: string, record: TaskRecord): TaskEntry {
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const entry: TaskEntry = {
      taskId,
      record,
      tail: new OutputTail(),
      result: undefined,
      killRequested: false,
      abandoned: false,
      lastSentAt: 0,
      finished,
      markFinished,
    };
    this.entries.set(taskId, entry);
    return entry;
  }

  /** Ends a recorded task that will not run; its failed result follows the Ack (finish() writes to disk first). */
  private refuse(entry: TaskEntry, error: string): string {
    void this.finish(entry, taskNotStarted(entry.taskId, 'failed', error));
    return error;
  }

  /** Synchronous, right after spawn: the pid is queued for disk before the task can finish. */
  private recordStart(entry: TaskEntry, pid: number): void {
    entry.record = {
      ...entry.record,
      state: 'running',
      pid,
      pidStartTicks: readProcessStartSync(pid),
      bootId: this.o.bootId,
      startedAt: Date.now(),
    };
    this.o.store.write(entry.record).catch((err: unknown) => this.o.logger.error({ taskId: entry.taskId, err }, 'cannot record that a task started'));
  }

  /** The result goes to disk, then to the server. Never rejects. */
  private async finish(entry: TaskEntry, result: TaskResult, how = { write: true, send: true }): Promise<void> {
    entry.result = result;
    const { output: _output, ...rest } = entry.record;
    entry.record = { ...rest, state: 'finished', result };
    if (how.write) {
      try {
        await this.o.store.write(entry.record);
      } catch (err) {
        this.o.logger.error({ taskId: entry.taskId, err }, 'cannot save a task result; it is kept in memory until acked, and lost if the agent stops first');
      }
    }
    entry.markFinished();
    if (entry.abandoned) await this.forget(entry, result);
    else if (how.send) this.send(entry, result);
  }

  private send(entry: TaskEntry, result: TaskResult, now = Date.now()): void {
    entry.lastSentAt = now;
    this.o.outlet.sendResult(result);
  }

  private async forget(entry: TaskEntry, result: TaskResult): Promise<void> {
    if (this.entries.get(entry.taskId) !== entry) return;
    this.entries.delete(entry.taskId);
    this.wakeAckWaiters();
    try {
      // Journal first: a crash in between leaves the record, which recover() then drops.
      await this.o.journal.add(summarize(result));
      await this.o.store.remove(entry.taskId);
    } catch (err) {
      this.o.logger.error({ taskId: entry.taskId, err }, 'cannot move an acked task to the finished journal');
    }
  }

  private wakeAckWaiters(): void {
    const waiters = this.ackWaiters;
    this.ackWaiters = [];
    for (const wake of waiters) wake();
  }

  private saveOutputs(): void {
    for (const entry of this.entries.values()) {
      if (entry.result || entry.record.state !== 'running') continue;
      const output = entry.tail.takeChanges();
      if (!output) continue;
      entry.record = { ...entry.record, output };
      this.o.store.write(entry.record).catch((err: unknown) => this.o.logger.warn({ taskId: entry.taskId, err }, 'cannot save a running task\'s output'));
    }
  }
}


/** Names each bad field, the way the executor does: `timeoutSec: Too big…`. */
function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'task'}: ${i.message}`).join('; ');
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
