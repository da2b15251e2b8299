import type { ExecRunView } from '@opsline/contracts';
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../../../api/client';
import { getExecRun } from '../../../api/exec';
import { usePolling } from '../../../platform/composables/usePolling';

/** A run's counts are asked for this often until all its tasks are done. */
const POLL_MS = 1000;

/**
 * Follows one run by its counts (one small answer however many hosts it
 * reached): asked about once a second until every task is done, with a clock
 * for the durations of the tasks still running.
 */
export function useFollowRun() {
  const runId = ref<string | null>(null);
  const view = shallowRef<ExecRunView | null>(null);
  const error = shallowRef<unknown>(null);
  const now = ref(Date.now());
  /** Every task has a result. */
  const finished = computed(() => view.value !== null && view.value.done >= view.value.total);
  /** The run is gone or not ours to see: asking again will not change that. */
  const refused = ref(false);
  /** Tasks may still change: worth asking about. */
  const going = computed(() => runId.value !== null && !finished.value && !refused.value);

  async function poll(): Promise<void> {
    const id = runId.value;
    if (id === null || !going.value) return;
    now.value = Date.now();
    try {
      const answer = await getExecRun(id);
      if (id !== runId.value) return;
      view.value = answer;
      error.value = null;
    } catch (err) {
      if (id !== runId.value) return;
      error.value = err;
      refused.value = err instanceof ApiError && (err.status === 403 || err.status === 404);
    }
  }

  /** Follow another run (null: none), leaving the last one. */
  function follow(id: string | null): void {
    if (id === runId.value) return;
    runId.value = id;
    view.value = null;
    error.value = null;
    refused.value = false;
    void poll();
  }

  function retry(): void {
    refused.value = false;
    void poll();
  }

  usePolling(poll, POLL_MS);

  return { runId, view, error, now, finished, going, follow, retry };
}

export type FollowedRun = ReturnType<typeof useFollowRun>;
