import type { IncidentView, TimelineEntry } from '@opsline/contracts';
import { ref, shallowRef, watch, type Ref } from 'vue';
import { ApiError } from '../../../api/client';
import { getIncident, getIncidentTimeline } from '../../../api/incidents';
import { usePolling } from '../../../platform/composables/usePolling';

/** The page asks again this often while it is open (alerts join, someone else acts, SLAs pass). */
const POLL_MS = 4000;

/**
 * One incident and its timeline, read again every few seconds while the page
 * is open. Actions hand their answer to `apply`, then the timeline is read
 * again, so what they did shows at once.
 */
export function useIncident(id: Ref<string>) {
  const view = shallowRef<IncidentView | null>(null);
  const timeline = shallowRef<TimelineEntry[]>([]);
  const error = shallowRef<unknown>(null);
  /** Gone, or not ours to see. */
  const refused = ref(false);
  const loaded = ref(false);

  async function load(): Promise<void> {
    const asked = id.value;
    try {
      const [incident, entries] = await Promise.all([getIncident(asked), getIncidentTimeline(asked)]);
      if (asked !== id.value) return;
      view.value = incident;
      timeline.value = entries.items;
      error.value = null;
      loaded.value = true;
    } catch (err) {
      if (asked !== id.value) return;
      error.value = err;
      refused.value = err instanceof ApiError && (err.status === 403 || err.status === 404);
    }
  }

  /** The incident as an action answered it; the timeline follows. */
  async function apply(incident: IncidentView): Promise<void> {
    if (incident.id !== id.value) return;
    view.value = incident;
    await load();
  }

  watch(
    id,
    () => {
      view.value = null;
      timeline.value = [];
      error.value = null;
      refused.value = false;
      loaded.value = false;
      void load();
    },
    { immediate: true },
  );

  usePolling(async () => {
    if (!refused.value) await load();
  }, POLL_MS);

  return { view, timeline, error, refused, loaded, reload: load, apply };
}

export type LoadedIncident = ReturnType<typeof useIncident>;
