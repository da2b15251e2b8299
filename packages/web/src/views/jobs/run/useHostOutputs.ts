import { OUTPUT_TAIL_BYTES, type ExecTaskView, type JobRunHostOutput, type JobRunHostView } from '@opsline/contracts';
import { onScopeDispose, ref, type Ref } from 'vue';
import { openExecTaskStream, type OutputChunk } from '../../../api/exec';
import { getJobRunHost } from '../../../api/jobs';
import { usePolling } from '../../../platform/composables/usePolling';
import { errorText } from '../../../platform/i18n/error-text';

/**
 * Live task streams open at once. Each SSE stream holds one of the six
 * connections a browser opens to a server; the run's own stream holds
 * another, and the rest stay free for the page's calls (a Kill must get through).
 */
const MAX_STREAMS = 3;
/** Opened hosts still running without a stream are asked about this often. */
const POLL_MS = 2000;

/** One opened host of a run as its panel shows it. */
export interface HostOutput {
  hostId: string;
  /** The host as the run sees it, with its output so far. */
  view: JobRunHostOutput | null;
  stdout: string;
  stderr: string;
  /** Its task's live stream is open. */
  live: boolean;
  /** Why it cannot be shown (the run or host is gone). */
  problem: string | null;
}

/**
 * The output of the hosts whose rows are opened: read from the run
 * (GET /job-runs/:id/hosts/:hostId), and while a host runs, its exec task
 * followed live over SSE as the Run script page does; a host whose stream is
 * refused (no exec:run) is asked about every few seconds instead.
 */
export function useHostOutputs(runId: Ref<string>) {
  const outputs = ref(new Map<string, HostOutput>());
  const streams = new Map<string, EventSource>();
  /** The task each opened host was last seen with: a retry starts a new one. */
  const taskOf = new Map<string, string | null>();
  const noStream = new Set<string>();

  function setOutput(out: HostOutput, view: JobRunHostOutput): void {
    out.view = view;
    out.stdout = view.stdout;
    out.stderr = view.stderr;
    out.problem = null;
  }

  async function read(out: HostOutput): Promise<void> {
    const run = runId.value;
    try {
      const view = await getJobRunHost(run, out.hostId);
      // A stream opened meanwhile is newer than this answer; a closed row needs none.
      if (run === runId.value && !out.live && outputs.value.has(out.hostId)) setOutput(out, view);
    } catch (err) {
      out.problem = errorText(err);
    }
  }

  function closeStream(out: HostOutput): void {
    streams.get(out.hostId)?.close();
    streams.delete(out.hostId);
    out.live = false;
  }

  function listen<T>(es: EventSource, event: string, handle: (data: T) => void): void {
    es.addEventListener(event, (msg: MessageEvent<string>) => {
      try {
        handle(JSON.parse(msg.data) as T);
      } catch {
        // Skipped: the next `task` or `end` carries the whole state.
      }
    });
  }

  function fromTask(out: HostOutput, task: ExecTaskView): void {
    out.stdout = task.stdout;
    out.stderr = task.stderr;
    if (out.view) out.view = { ...out.view, exitCode: task.exitCode, startedAt: task.startedAt ?? out.view.startedAt, finishedAt: task.finishedAt };
  }

  function append(out: HostOutput, chunk: OutputChunk): void {
    const text = out[chunk.stream] + chunk.data;
    out[chunk.stream] = text.length > OUTPUT_TAIL_BYTES ? text.slice(-OUTPUT_TAIL_BYTES) : text;
  }

  function openStream(out: HostOutput, taskId: string): void {
    const es = openExecTaskStream(taskId);
    streams.set(out.hostId, es);
    out.live = true;
    listen<ExecTaskView>(es, 'task', (task) => fromTask(out, task));
    listen<OutputChunk>(es, 'output', (chunk) => append(out, chunk));
    listen<ExecTaskView>(es, 'end', (task) => fromTask(out, task));
    es.addEventListener('end', () => {
      closeStream(out);
      // The run's own word on the host (its state, attempt) follows the task's end.
      void read(out).then(startStreams);
    });
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED || streams.get(out.hostId) !== es) return;
      closeStream(out);
      noStream.add(out.hostId);
      void read(out).then(startStreams);
    };
  }

  /** Streams go to running hosts, up to MAX_STREAMS at a time. */
  function startStreams(): void {
    for (const out of outputs.value.values()) {
      if (streams.size >= MAX_STREAMS) return;
      const taskId = out.view?.taskId;
      if (!out.live && taskId && out.view?.status === 'running' && !noStream.has(out.hostId)) openStream(out, taskId);
    }
  }

  /**
   * Follow exactly these rows (the opened ones), as the hosts table last
   * answered them: a host that started, or started again, is read anew.
   */
  function show(rows: readonly JobRunHostView[]): void {
    const ids = new Set(rows.map((r) => r.hostId));
    for (const out of outputs.value.values()) {
      if (ids.has(out.hostId)) continue;
      closeStream(out);
      outputs.value.delete(out.hostId);
      taskOf.delete(out.hostId);
    }
    for (const row of rows) {
      const fresh = !outputs.value.has(row.hostId);
      if (fresh) outputs.value.set(row.hostId, { hostId: row.hostId, view: null, stdout: '', stderr: '', live: false, problem: null });
      // The map's own (reactive) entry: changes to it show.
      const out = outputs.value.get(row.hostId);
      if (!out) continue;
      const moved = taskOf.get(row.hostId) !== row.taskId || out.view?.status !== row.status;
      taskOf.set(row.hostId, row.taskId);
      if (fresh || (moved && !out.live)) {
        if (out.view) out.view = { ...out.view, ...row };
        void read(out).then(startStreams);
      }
    }
    startStreams();
  }

  function clear(): void {
    show([]);
    noStream.clear();
  }

  // Hosts running without a stream: read again now and then (one that starts shows up in the table first).
  usePolling(async () => {
    const due = [...outputs.value.values()].filter((o) => !o.live && o.problem === null && o.view?.status === 'running');
    await Promise.all(due.slice(0, 8).map(read));
    startStreams();
  }, POLL_MS);
  onScopeDispose(clear);

  return { outputs, show, clear };
}
