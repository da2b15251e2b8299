import { OUTPUT_TAIL_BYTES, type ExecRunTask, type ExecTaskView } from '@opsline/contracts';
import { onScopeDispose, ref } from 'vue';
import { getExecTask, killExecTask, openExecTaskStream, type OutputChunk } from '../../../api/exec';
import { usePolling } from '../../../platform/composables/usePolling';
import { errorText } from '../../../platform/i18n/error-text';
import { isOpen } from './task-status';

/**
 * Live streams open at once. A browser opens six HTTP/1.1 connections to a
 * server and an SSE stream holds one for as long as it runs: the rest stay
 * free for the console's own calls (a Kill must get through).
 */
const MAX_STREAMS = 4;
/** Opened tasks waiting for a stream are asked about this often, a few at a time. */
const POLL_MS = 2000;
const POLL_BATCH = 8;

/** One opened task of a run as its panel shows it. */
export interface FollowedTask {
  id: string;
  view: ExecTaskView;
  /** The output so far: the last 1 MiB of each stream, as the server keeps it. */
  stdout: string;
  stderr: string;
  /** `view` and the output are the task's own (not the run list's cut copy). */
  complete: boolean;
  /** A live stream is open for it. */
  live: boolean;
  /** Why it cannot be followed (the task is gone, access was withdrawn). */
  problem: string | null;
}

/**
 * The tasks whose rows are opened: the whole output of each, live over SSE
 * for up to MAX_STREAMS running ones at a time (the next takes a stream as
 * one ends), the others asked about every few seconds until they finish.
 * Streams close at their `end`, when a row is closed, and when the page goes away.
 */
export function useTaskDetails() {
  const tasks = ref(new Map<string, FollowedTask>());
  const streams = new Map<string, EventSource>();
  /** Tasks whose stream the server refused: polled from then on. */
  const noStream = new Set<string>();
  let pollFrom = 0;

  const waiting = (task: FollowedTask): boolean => !task.live && task.problem === null && (!task.complete || isOpen(task.view.status));

  function apply(task: FollowedTask, view: ExecTaskView): void {
    task.view = view;
    task.stdout = view.stdout;
    task.stderr = view.stderr;
    task.complete = true;
  }

  function append(task: FollowedTask, chunk: OutputChunk): void {
    const text = task[chunk.stream] + chunk.data;
    task[chunk.stream] = text.length > OUTPUT_TAIL_BYTES ? text.slice(-OUTPUT_TAIL_BYTES) : text;
  }

  function closeStream(task: FollowedTask): void {
    streams.get(task.id)?.close();
    streams.delete(task.id);
    task.live = false;
  }

  function listen<T>(es: EventSource, event: string, handle: (data: T) => void): void {
    es.addEventListener(event, (msg: MessageEvent<string>) => {
      try {
        handle(JSON.parse(msg.data) as T);
      } catch {
        // A malformed message is skipped; the next `task` or `end` carries the whole state.
      }
    });
  }

  function openStream(task: FollowedTask): void {
    const es = openExecTaskStream(task.id);
    streams.set(task.id, es);
    task.live = true;
    // `task` is the state so far (it includes output sent before it), chunks add to it, `end` is the final word.
    listen<ExecTaskView>(es, 'task', (view) => apply(task, view));
    listen<OutputChunk>(es, 'output', (chunk) => append(task, chunk));
    listen<ExecTaskView>(es, 'end', (view) => apply(task, view));
    es.addEventListener('end', () => {
      closeStream(task);
      startStreams();
    });
    // After a network blip the browser reconnects by itself (and `task` restores the state);
    // CLOSED means the server refused the stream: ask with a GET instead, which says why.
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED || streams.get(task.id) !== es) return;
      closeStream(task);
      noStream.add(task.id);
      void refresh(task).then(startStreams);
    };
  }

  /** Streams go to running (or queued) tasks; a finished one is read once. */
  function startStreams(): void {
    for (const task of tasks.value.values()) {
      if (streams.size >= MAX_STREAMS) return;
      if (waiting(task) && isOpen(task.view.status) && !noStream.has(task.id)) openStream(task);
    }
  }

  async function refresh(task: FollowedTask): Promise<void> {
    try {
      const view = await getExecTask(task.id);
      // A stream opened meanwhile is newer than this answer; a closed row needs none.
      if (!task.live && tasks.value.has(task.id)) apply(task, view);
    } catch (err) {
      task.problem = errorText(err);
    }
  }

  /** A few of the opened tasks without a stream, in turn. */
  async function poll(): Promise<void> {
    const due = [...tasks.value.values()].filter(waiting);
    if (due.length === 0) return;
    const start = pollFrom % due.length;
    pollFrom = start + POLL_BATCH;
    await Promise.all([...due, ...due].slice(start, start + Math.min(POLL_BATCH, due.length)).map(refresh));
    startStreams();
  }

  /**
   * Follow exactly these rows (the opened ones): new ones start from the
   * list's copy, which is all there is when a finished task's output was not cut.
   */
  function show(rows: readonly ExecRunTask[]): void {
    const ids = new Set(rows.map((r) => r.id));
    for (const task of tasks.value.values()) {
      if (ids.has(task.id)) continue;
      closeStream(task);
      tasks.value.delete(task.id);
    }
    const fresh: FollowedTask[] = [];
    for (const row of rows) {
      if (tasks.value.has(row.id)) continue;
      const { outputCut, ...view } = row;
      const complete = !outputCut && !isOpen(view.status);
      tasks.value.set(row.id, { id: row.id, view, stdout: view.stdout, stderr: view.stderr, complete, live: false, problem: null });
      fresh.push(tasks.value.get(row.id) as FollowedTask);
    }
    startStreams();
    // The rest are read at once (the list cut their output), then polled while they run.
    for (const task of fresh) if (waiting(task)) void refresh(task);
  }

  /** Kill a task; its stream (or the next poll) brings the end. */
  async function kill(task: FollowedTask): Promise<void> {
    const view = await killExecTask(task.id);
    if (!task.live) apply(task, view);
  }

  function clear(): void {
    show([]);
    noStream.clear();
    pollFrom = 0;
  }

  usePolling(poll, POLL_MS);
  onScopeDispose(clear);

  return { tasks, show, kill, clear };
}
