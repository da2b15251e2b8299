import type { EscalationTarget } from '@opsline/contracts';
import { onMounted } from 'vue';
import { useAuthStore } from '../../../platform/auth/store';
import { i18n } from '../../../platform/i18n';
import { useChannelsStore, useSchedulesStore } from '../../../stores/oncall';
import { useTeamsStore } from '../../../stores/teams';
import { useUsersStore } from '../../../stores/users';

/**
 * Names for escalation targets and the ids rules carry, from the console's
 * directories that the user may read; an id otherwise.
 */
export function useTargetNames() {
  const auth = useAuthStore();
  const users = useUsersStore();
  const teams = useTeamsStore();
  const schedules = useSchedulesStore();
  const channels = useChannelsStore();
  onMounted(() => {
    if (auth.can('user:read')) void users.ensure();
    if (auth.can('team:read')) void teams.ensure();
    if (auth.can('oncall:read')) void schedules.ensure();
    if (auth.can('notify:read')) void channels.ensure();
  });

  function nameOf(target: EscalationTarget): string {
    switch (target.type) {
      case 'user':
        return users.nameOf(target.id);
      case 'team':
        return teams.nameOf(target.id);
      case 'schedule':
        return schedules.nameOf(target.id);
      case 'channel':
        return channels.nameOf(target.id) ?? target.id.slice(0, 8);
    }
  }
  const typeLabel = (type: EscalationTarget['type']): string => i18n.global.t(`oncall.targets.${type}`);
  /** `值班表 DBA primary`. */
  const label = (target: EscalationTarget): string => `${typeLabel(target.type)} ${nameOf(target)}`;
  return { nameOf, typeLabel, label };
}
