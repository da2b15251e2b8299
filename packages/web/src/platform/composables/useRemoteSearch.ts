import { onScopeDispose, ref, shallowRef, type Ref } from 'vue';
import { errorText } from '../i18n/error-text';

export interface RemoteSearchOptions {
  /** Ask with an empty query too (the first page of everything); otherwise an empty query clears the results. */
  allowEmpty?: boolean;
  debounceMs?: number;
}

/**
 * Results of a search-as-you-type select (NSelect `remote`): waits for a pause
 * in typing, drops answers to older queries, and keeps a failure's text to show
 * in the empty menu. Bind `search` to the select's `@search`.
 */
export function useRemoteSearch<T>(fetch: (q: string) => Promise<T[]>, options: RemoteSearchOptions = {}) {
  const results = shallowRef<T[]>([]) as Ref<T[]>;
  const loading = ref(false);
  const problem = ref<string | null>(null);
  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function run(q: string): Promise<void> {
    const mine = ++seq;
    try {
      const found = await fetch(q);
      if (mine !== seq) return;
      results.value = found;
      problem.value = null;
    } catch (err) {
      if (mine === seq) problem.value = errorText(err);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function search(query: string): void {
    clearTimeout(timer);
    const q = query.trim();
    if (!q && !options.allowEmpty) {
      seq += 1;
      results.value = [];
      loading.value = false;
      return;
    }
    loading.value = true;
    timer = setTimeout(() => void run(q), options.debounceMs ?? 250);
  }

  onScopeDispose(() => {
    clearTimeout(timer);
    seq += 1;
  });

  return { results, loading, problem, search };
}
