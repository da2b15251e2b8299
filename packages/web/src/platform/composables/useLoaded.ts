import { ref, shallowRef, type Ref } from 'vue';

/**
 * One thing read from the API (a dashboard, a settings object): what was
 * read, whether it is being read, and the last failure. `load(true)` reads
 * again quietly (a periodic refresh keeps what is shown, without the
 * spinner); an answer to an older read than the last is dropped.
 */
export function useLoaded<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null) as Ref<T | null>;
  const loading = ref(false);
  const error = shallowRef<unknown>(null);
  let seq = 0;

  async function load(quiet = false): Promise<void> {
    const mine = ++seq;
    if (!quiet) loading.value = true;
    try {
      const found = await fetch();
      if (mine !== seq) return;
      data.value = found;
      error.value = null;
    } catch (err) {
      if (mine === seq) error.value = err;
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  return { data, loading, error, load };
}
