import { computed, ref, shallowRef } from 'vue';
import { fetchAllPages, type PageFetcher } from '../api/paging';

/**
 * A small, whole list kept for pickers and id → name lookups (users, teams,
 * roles). Loaded on first use; `invalidate()` after a change reloads it next time.
 */
export function useDirectory<T extends { id: string }>(fetchPage: PageFetcher<T>) {
  const items = shallowRef<T[]>([]);
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let loaded = false;
  let pending: Promise<void> | null = null;

  const byId = computed(() => new Map(items.value.map((i) => [i.id, i])));

  async function load(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      items.value = await fetchAllPages(fetchPage);
      loaded = true;
    } catch (err) {
      error.value = err;
    } finally {
      loading.value = false;
    }
  }

  function ensure(): Promise<void> {
    if (loaded) return Promise.resolve();
    pending ??= load().finally(() => {
      pending = null;
    });
    return pending;
  }

  function invalidate(): void {
    loaded = false;
  }

  return { items, loading, error, byId, ensure, reload: load, invalidate };
}
