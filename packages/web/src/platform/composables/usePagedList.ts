import type { Page } from '@opsline/contracts';
import { computed, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { PageParams } from '../../api/paging';

export interface PagedListOptions<T, F extends object> {
  fetch: (params: PageParams<F>) => Promise<Page<T>>;
  /** Reactive filters; a change starts again from the first page. */
  filters: () => F;
  pageSize?: number;
  /**
   * `pages`: previous/next through cursor pages (tables).
   * `append`: "load more" adds the next page below (timelines).
   */
  mode?: 'pages' | 'append';
  /** Wait this long after a filter change before asking (typing in a search box). */
  debounceMs?: number;
}

/**
 * One cursor-paged list: items, loading and error state, previous/next or
 * load-more, and a reload when the filters change. Answers to stale requests
 * (filters changed meanwhile) are dropped.
 */
export function usePagedList<T, F extends object>(options: PagedListOptions<T, F>) {
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  const pageSize = ref(options.pageSize ?? 20);
  /** cursors[i] fetches page i; page 0 has none. */
  const cursors = ref<(string | null)[]>([null]);
  const pageIndex = ref(0);
  const nextCursor = ref<string | null>(null);
  const loaded = ref(false);
  let seq = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  async function load(cursor: string | null, appendTo: T[] | null, quiet = false): Promise<boolean> {
    const mine = ++seq;
    // A quiet reload (a periodic refresh) keeps the rows in view without the spinner.
    if (!quiet) loading.value = true;
    error.value = null;
    try {
      const page = await options.fetch({ ...options.filters(), limit: pageSize.value, cursor });
      if (mine !== seq) return false;
      items.value = appendTo ? [...appendTo, ...page.items] : page.items;
      nextCursor.value = page.nextCursor;
      loaded.value = true;
      return true;
    } catch (err) {
      if (mine === seq) error.value = err;
      return false;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Back to the first page with the current filters. */
  async function reload(): Promise<void> {
    clearTimeout(debounce);
    cursors.value = [null];
    pageIndex.value = 0;
    await load(null, null);
  }

  /** Same page again (after an edit or a delete); `quiet` for a periodic refresh, without the loading state. */
  async function refresh(opts: { quiet?: boolean } = {}): Promise<void> {
    if (options.mode === 'append') return reload();
    await load(cursors.value[pageIndex.value] ?? null, null, opts.quiet);
  }

  async function next(): Promise<void> {
    const cursor = nextCursor.value;
    if (!cursor) return;
    if (options.mode === 'append') {
      await load(cursor, items.value);
      return;
    }
    if (await load(cursor, null)) {
      pageIndex.value += 1;
      cursors.value = [...cursors.value.slice(0, pageIndex.value), cursor];
    }
  }

  async function prev(): Promise<void> {
    if (pageIndex.value === 0) return;
    const target = pageIndex.value - 1;
    if (await load(cursors.value[target] ?? null, null)) pageIndex.value = target;
  }

  function setPageSize(size: number): void {
    pageSize.value = size;
    void reload();
  }

  /** Put an item in front without a round trip (a live event), keeping the list's length bounded. */
  function prepend(newItems: T[], max = 1000): void {
    items.value = [...newItems, ...items.value].slice(0, max);
  }

  watch(
    () => JSON.stringify(options.filters()),
    () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void reload(), options.debounceMs ?? 0);
    },
  );
  onScopeDispose(() => {
    clearTimeout(debounce);
    seq += 1;
  });

  return {
    items,
    loading,
    error,
    loaded,
    pageSize,
    pageIndex,
    hasNext: computed(() => nextCursor.value !== null),
    hasPrev: computed(() => pageIndex.value > 0),
    reload,
    refresh,
    next,
    prev,
    setPageSize,
    prepend,
  };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T, object>>;
