import { onScopeDispose, ref, shallowRef, watch } from 'vue';
import { previewCron } from '../../../api/automation';
import { ApiError } from '../../../api/client';
import { errorText } from '../../../platform/i18n/error-text';

/**
 * The next five fires of the pattern being typed, asked of the server a
 * moment after typing stops (an older answer is dropped). A pattern or zone
 * the server refuses gives its message, by field, instead of fires.
 */
export function useCronPreview(source: () => { cron: string; timezone: string; active: boolean }, debounceMs = 350) {
  const fires = shallowRef<string[]>([]);
  const loading = ref(false);
  /** Messages by field: `cron`, `timezone`, or `other` (a failed call). */
  const problems = ref<{ cron?: string; timezone?: string; other?: string }>({});
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;

  async function ask(cron: string, timezone: string): Promise<void> {
    inFlight?.abort();
    const mine = new AbortController();
    inFlight = mine;
    loading.value = true;
    try {
      const answer = await previewCron(cron, timezone, mine.signal);
      fires.value = answer.nextFires;
      problems.value = {};
    } catch (err) {
      if (mine.signal.aborted) return;
      fires.value = [];
      problems.value = problemsOf(err);
    } finally {
      if (inFlight === mine) {
        loading.value = false;
        inFlight = null;
      }
    }
  }

  watch(
    source,
    ({ cron, timezone, active }) => {
      clearTimeout(timer);
      if (!active) return;
      if (!cron.trim() || !timezone) {
        inFlight?.abort();
        fires.value = [];
        problems.value = {};
        return;
      }
      timer = setTimeout(() => void ask(cron.trim(), timezone), debounceMs);
    },
    { immediate: true, deep: true },
  );
  onScopeDispose(() => {
    clearTimeout(timer);
    inFlight?.abort();
  });

  return { fires, loading, problems };
}

function problemsOf(err: unknown): { cron?: string; timezone?: string; other?: string } {
  if (err instanceof ApiError && err.issues.length > 0) {
    const out: { cron?: string; timezone?: string; other?: string } = {};
    for (const issue of err.issues) {
      if (issue.field.endsWith('.cron')) out.cron ??= issue.message;
      else if (issue.field.endsWith('.timezone')) out.timezone ??= issue.message;
      else out.other ??= issue.message;
    }
    return out;
  }
  return { other: errorText(err) };
}
