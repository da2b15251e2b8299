import type { ExecRunTask, ExecTaskState, ExecTaskView, Page } from '@opsline/contracts';
import { ref, watch } from 'vue';
import { listExecRunTasks, type RunTaskFilter } from '../../../api/exec';
import type { PageParams } from '../../../api/paging';
import { usePagedList } from '../../../platform/composables/usePagedList';
import { usePolling } from '../../../platform/composables/usePolling';
import type { FollowedRun } from './useFollowRun';
import { useTaskDetails, type FollowedTask } from './useTaskDetails';

const PAGE_SIZE = 50;
/** The page in view is asked for again this often while the run goes on. */
const REFRESH_MS = 2000;
/** A run on this many hosts or fewer opens its rows by itself. */
const AUTO_OPEN_MAX = 4;

const NO_TASKS: Page<ExecRunTask> = { items: [], nextCursor: null };

type RunTaskQuery = PageParams<RunTaskFilter & { runId: string | null }>;

/**
 * A run's tasks a page at a time (50, filtered by status), refreshed while
 * the run goes on; rows opened (`expanded`) are followed in full by
 * useTaskDetails. A run on a few hosts opens them all.
 */
export function useRunTasks(run: FollowedRun) {
  const status = ref<ExecTaskState | null>(null);
  const expanded = ref<string[]>([]);
  let autoOpen = false;

  const list = usePagedList({
    fetch: ({ runId, ...query }: RunTaskQuery) => (runId ? listExecRunTasks(runId, query) : Promise.resolve(NO_TASKS)),
    filters: () => ({ runId: run.runId.value, status: status.value }),
    pageSize: PAGE_SIZE,
  });
  const details = useTaskDetails();

  // A run followed already (from the URL) loads at once; another one starts afresh.
  watch(
    run.runId,
    (id, before) => {
      status.value = null;
      expanded.value = [];
      details.clear();
      autoOpen = true;
      if (id !== null && before === undefined) void list.reload();
    },
    { immediate: true },
  );

  // The first page of a new run decides whether its rows open by themselves.
  watch(list.items, (items) => {
    if (!autoOpen || items[0]?.runId !== run.runId.value) return;
    autoOpen = false;
    if (!list.hasNext.value && items.length <= AUTO_OPEN_MAX) expanded.value = items.map((r) => r.id);
  });

  // Rows leave the page (another page, another filter): their streams close.
  watch([expanded, list.items], ([ids, items]) => details.show(items.filter((r) => ids.includes(r.id))));

  usePolling(() => (run.going.value ? list.refresh({ quiet: true }) : undefined), REFRESH_MS);
  watch(run.finished, (done) => {
    if (done) void list.refresh({ quiet: true });
  });

  /** A row as it stands: an opened task's own view and output (live while its stream is open). */
  function current(row: ExecRunTask): ExecTaskView {
    const task = details.tasks.value.get(row.id);
    return task ? { ...task.view, stdout: task.stdout, stderr: task.stderr } : row;
  }

  async function kill(task: FollowedTask): Promise<void> {
    await details.kill(task);
    void list.refresh({ quiet: true });
  }

  return { status, expanded, list, details, current, kill };
}
