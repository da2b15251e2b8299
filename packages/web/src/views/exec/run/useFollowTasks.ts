import { OUTPUT_TAIL_BYTES, type ExecTaskView } from '@opsline/contracts';
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
/** Tasks waiting for a stream are asked about this often, a few at a time. */
const POLL_MS = 2000;
const POLL_BATCH = 8;

/** One task of a run as the page shows it. */
export interface FollowedTask {
  id: string;
  /** Null until the first answer about it. */
  view: ExecTaskView | null;
  /** The output so far: the last 1 MiB of each stream, as the server keeps it. */
  stdout: string;
  stderr: string;
  /** A live stream is open for it. */
  live: boolean;
  /** Why it cannot be followed (the task is gone, access was withdrawn). */
  problem: string | null;
}

/**
 * Follows the tasks of a run: live output over SSE for up to MAX_STREAMS at
 * a time (the next task takes a stream as one ends), the others asked about
 * every few seconds until they finish. Streams close at their `end` and when
 * the page goes away.
 */
export function useFollowTasks() {
  const tasks = ref<FollowedTask[]>([]);
  /** The clock durations of running tasks count to. */
  const now = ref(Date.now());
  const streams = new Map<string, EventSource>();
  /** Tasks whose stream the server refused: polled from then on. */
  const noStream = new Set<string>();
  let pollFrom = 0;

  const finished = (task: FollowedTask): boolean => task.view !== null && !isOpen(task.view.status);
  const waiting = (task: FollowedTask): boolean => !task.live && !finished(task) && task.problem === null;

  function apply(task: FollowedTask, view: ExecTaskView): void {
    task.view = view;
    task.stdout = view.stdout;
    task.stderr = view.stderr;
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

  function startStreams(): void {
    for (const task of tasks.value) {
      if (streams.size >= MAX_STREAMS) return;
      if (waiting(task) && !noStream.has(task.id)) openStream(task);
    }
  }

  async function refresh(task: FollowedTask): Promise<void> {
    try {
      const view = await getExecTask(task.id);
      // A stream opened meanwhile is newer than this answer.
      if (!task.live) apply(task, view);
    } catch (err) {
      task.problem = errorText(err);
    }
  }

  /** A few of the tasks without a stream, in turn. */
  async function poll(): Promise<void> {
    const due = tasks.value.filter(waiting);
    if (due.length === 0) return;
    const start = pollFrom % due.length;
    pollFrom = start + POLL_BATCH;
    await Promise.all([...due, ...due].slice(start, start + Math.min(POLL_BATCH, due.length)).map(refresh));
    startStreams();
  }

  function stopAll(): void {
    for (const task of tasks.value) closeStream(task);
  }

  /** Follow a new run, leaving the last one. */
  function follow(taskIds: readonly string[]): void {
    stopAll();
    noStream.clear();
    pollFrom = 0;
    tasks.value = taskIds.map((id) => ({ id, view: null, stdout: '', stderr: '', live: false, problem: null }));
    startStreams();
    void poll();
  }

  /** Kill a task; its stream (or the next poll) brings the end. */
  async function kill(task: FollowedTask): Promise<void> {
    const view = await killExecTask(task.id);
    if (!task.live) apply(task, view);
  }

  usePolling(poll, POLL_MS);
  usePolling(() => {
    if (tasks.value.some((t) => !finished(t))) now.value = Date.now();
  }, 1000);
  onScopeDispose(stopAll);

  return { tasks, now, follow, kill };
}
