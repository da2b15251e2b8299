import type { JobRunView } from '@opsline/contracts';
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import { ApiError } from '../../../api/client';
import { actOnJobRun, getJobRun, openJobRunStream, type JobRunAction } from '../../../api/jobs';
import { usePolling } from '../../../platform/composables/usePolling';
import { isRunOpen } from '../shared/job-status';

/** Without a stream (refused, or lost for good) an open run is asked about this often. */
const POLL_MS = 2000;

/**
 * One run, live: read once, then followed over its SSE stream (`run` events)
 * until it ends; the stream closes itself then, and opens again when an
 * action (resume, retry) sets the run going. Each change is handed to the
 * `changed` listeners (the hosts table, the timeline).
 */
export function useJobRun(id: Ref<string>) {
  const view = shallowRef<JobRunView | null>(null);
  const error = shallowRef<unknown>(null);
  /** The run is gone or not ours to see. */
  const refused = ref(false);
  const live = ref(false);
  const now = ref(Date.now());
  const listeners = new Set<(run: JobRunView) => void>();
  let stream: EventSource | null = null;
  let noStream = false;

  function apply(run: JobRunView): void {
    if (run.id !== id.value) return;
    view.value = run;
    error.value = null;
    now.value = Date.now();
    for (const listener of listeners) listener(run);
    if (!isRunOpen(run.status)) closeStream();
  }

  function closeStream(): void {
    stream?.close();
    stream = null;
    live.value = false;
  }

  function openStream(): void {
    if (stream || noStream) return;
    const es = openJobRunStream(id.value);
    stream = es;
    live.value = true;
    es.addEventListener('run', (msg: MessageEvent<string>) => {
      try {
        apply(JSON.parse(msg.data) as JobRunView);
      } catch {
        // A malformed message is skipped: the next one carries the whole run.
      }
    });
    // The browser reconnects after a blip by itself; CLOSED means the server refused: poll instead.
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED || stream !== es) return;
      closeStream();
      noStream = true;
    };
  }

  async function load(): Promise<void> {
    const asked = id.value;
    try {
      const run = await getJobRun(asked);
      if (asked !== id.value) return;
      apply(run);
      if (isRunOpen(run.status)) openStream();
    } catch (err) {
      if (asked !== id.value) return;
      error.value = err;
      refused.value = err instanceof ApiError && (err.status === 403 || err.status === 404);
    }
  }

  watch(
    id,
    () => {
      closeStream();
      noStream = false;
      view.value = null;
      error.value = null;
      refused.value = false;
      void load();
    },
    { immediate: true },
  );

  usePolling(async () => {
    const run = view.value;
    if (!run || !isRunOpen(run.status)) return;
    now.value = Date.now();
    if (!live.value && !refused.value) await load();
  }, POLL_MS);

  /** Pause, resume, kill, retry the failed hosts or approve; the answer is the run as it now is. */
  async function act(action: JobRunAction): Promise<void> {
    const run = await actOnJobRun(id.value, action);
    apply(run);
    if (isRunOpen(run.status)) openStream();
  }

  /** Called with the run at each change; answers the way to stop listening. */
  function onChange(listener: (run: JobRunView) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  onScopeDispose(closeStream);

  return { view, error, refused, live, now, act, onChange, reload: load };
}

export type FollowedJobRun = ReturnType<typeof useJobRun>;
