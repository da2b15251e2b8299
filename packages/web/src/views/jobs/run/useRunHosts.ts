import type { JobHostState, JobRunHostView, Page } from '@opsline/contracts';
import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { listJobRunHosts, type JobRunHostFilter } from '../../../api/jobs';
import type { PageParams } from '../../../api/paging';
import { usePagedList } from '../../../platform/composables/usePagedList';
import type { FollowedJobRun } from './useJobRun';
import { useHostOutputs } from './useHostOutputs';

const PAGE_SIZE = 50;
/** The page in view is asked for again at most this often, however fast the run changes. */
const REFRESH_MS = 1000;
/** A run on this many hosts or fewer opens its rows by itself. */
const AUTO_OPEN_MAX = 4;

type HostQuery = PageParams<JobRunHostFilter & { runId: string }>;

/**
 * A run's hosts a page at a time (filtered by state, searched by hostname or
 * IP), asked for again whenever the run changes (throttled); opened rows show
 * their output live (useHostOutputs). A run on a few hosts opens them all.
 */
export function useRunHosts(runId: Ref<string>, run: FollowedJobRun, status: Ref<JobHostState | null>) {
  const q = ref('');
  const expanded = ref<string[]>([]);
  let autoOpen = true;

  const list = usePagedList({
    fetch: ({ runId: id, ...query }: HostQuery): Promise<Page<JobRunHostView>> => listJobRunHosts(id, query),
    filters: () => ({ runId: runId.value, status: status.value, q: q.value.trim() }),
    pageSize: PAGE_SIZE,
    debounceMs: 250,
  });
  const outputs = useHostOutputs(runId);
  void list.reload();

  watch(
    runId,
    () => {
      status.value = null;
      q.value = '';
      expanded.value = [];
      outputs.clear();
      autoOpen = true;
    },
  );

  // The first page decides whether its rows open by themselves.
  watch(list.items, (items) => {
    if (!autoOpen || items.length === 0) return;
    autoOpen = false;
    if (!list.hasNext.value && items.length <= AUTO_OPEN_MAX) expanded.value = items.map((h) => h.hostId);
  });

  // Rows leave the page (another page, another filter): their streams close.
  watch([expanded, list.items], ([ids, items]) => outputs.show(items.filter((h) => ids.includes(h.hostId))));

  // Throttled: the first change refreshes at once, those within REFRESH_MS after it once at its end.
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function refreshSoon(): void {
    if (timer) return;
    const wait = Math.max(0, last + REFRESH_MS - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      void list.refresh({ quiet: true });
    }, wait);
  }
  const stop = run.onChange(refreshSoon);
  onScopeDispose(() => {
    stop();
    clearTimeout(timer);
  });

  return { status, q, expanded, list, outputs: outputs.outputs };
}
