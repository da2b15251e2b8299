import type { ChannelView, EscalationPolicyView, OncallScheduleView } from '@opsline/contracts';
import { defineStore } from 'pinia';
import { computed } from 'vue';
import { listChannels } from '../api/notify';
import { listPolicies, listSchedules } from '../api/oncall';
import { useDirectory } from './directory';

/** Every on-call schedule, for escalation targets and showing names for ids. */
export const useSchedulesStore = defineStore('oncall-schedules', () => {
  const directory = useDirectory<OncallScheduleView>((p) => listSchedules(p));
  const options = computed(() => directory.items.value.map((s) => ({ value: s.id, label: s.name })));
  const nameOf = (id: string): string => directory.byId.value.get(id)?.name ?? id;
  return { ...directory, options, nameOf };
});

/** Every escalation policy, for routing rules and showing names for ids. */
export const usePoliciesStore = defineStore('oncall-policies', () => {
  const directory = useDirectory<EscalationPolicyView>((p) => listPolicies(p));
  const options = computed(() => directory.items.value.map((p) => ({ value: p.id, label: p.name })));
  const nameOf = (id: string): string => directory.byId.value.get(id)?.name ?? id;
  return { ...directory, options, nameOf };
});

/** Every notification channel, for naming the ones escalation targets send to (read with notify:read). */
export const useChannelsStore = defineStore('oncall-channels', () => {
  const directory = useDirectory<ChannelView>((p) => listChannels(p));
  const nameOf = (id: string): string | null => directory.byId.value.get(id)?.name ?? null;
  return { ...directory, nameOf };
});
