import type { ChannelView, JobAlertView } from '@opsline/contracts';
import { shallowRef, watch, type Ref } from 'vue';
import { getJobTemplate } from '../../../api/jobs';
import { listChannels } from '../../../api/notify';
import { fetchAllPages } from '../../../api/paging';
import { useAuthStore } from '../../../platform/auth/store';
import { shortId } from '../../../platform/format/id';

/**
 * Names for the ids job alerts carry: channels from the channel list (when
 * the user may read it), templates looked up one by one as rules name them.
 * Unknown ones show as a shortened id.
 */
export function useAlertNames(alerts: Ref<readonly JobAlertView[]>) {
  const auth = useAuthStore();
  const channels = shallowRef(new Map<string, ChannelView>());
  const templates = shallowRef(new Map<string, string>());
  const asked = new Set<string>();

  async function loadChannels(): Promise<void> {
    if (!auth.can('notify:read')) return;
    const all = await fetchAllPages((p) => listChannels(p));
    channels.value = new Map(all.map((c) => [c.id, c]));
  }

  watch(
    alerts,
    (items) => {
      for (const id of items.flatMap((a) => (a.templateId ? [a.templateId] : []))) {
        if (asked.has(id)) continue;
        asked.add(id);
        getJobTemplate(id)
          .then((tpl) => (templates.value = new Map(templates.value).set(id, tpl.name)))
          .catch(() => undefined);
      }
    },
    { immediate: true },
  );

  return {
    loadChannels,
    channel: (id: string): string => channels.value.get(id)?.name ?? shortId(id),
    template: (id: string): string => templates.value.get(id) ?? shortId(id),
  };
}
