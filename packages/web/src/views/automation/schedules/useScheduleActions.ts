import type { ScheduleView } from '@opsline/contracts';
import { useMessage } from 'naive-ui';
import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { deleteSchedule, updateSchedule } from '../../../api/automation';
import { useAuthStore } from '../../../platform/auth/store';
import { useConfirm } from '../../../platform/composables/useConfirm';
import { errorText } from '../../../platform/i18n/error-text';

/** Turning a schedule on or off and deleting it, as the list and the detail page both offer. */
export function useScheduleActions(after: { toggled: (s: ScheduleView) => void | Promise<void>; deleted: () => void | Promise<void> }) {
  const { t } = useI18n();
  const message = useMessage();
  const confirm = useConfirm();
  const auth = useAuthStore();
  const canWrite = computed(() => auth.can('job:run'));
  const toggling = ref(new Set<string>());

  async function toggle(s: ScheduleView, enabled: boolean): Promise<void> {
    toggling.value = new Set([...toggling.value, s.id]);
    try {
      const saved = await updateSchedule(s.id, { enabled });
      message.success(t(enabled ? 'automation.schedules.enabledDone' : 'automation.schedules.disabledDone', { name: s.name }));
      await after.toggled(saved);
    } catch (err) {
      message.error(errorText(err), { duration: 6000 });
    } finally {
      toggling.value = new Set([...toggling.value].filter((id) => id !== s.id));
    }
  }

  function remove(s: ScheduleView): void {
    confirm({
      title: t('automation.schedules.deleteTitle'),
      content: t('automation.schedules.deleteConfirm', { name: s.name }),
      positiveText: t('common.delete'),
      success: t('automation.schedules.deleted', { name: s.name }),
      action: async () => {
        await deleteSchedule(s.id);
        await after.deleted();
      },
    });
  }

  return { canWrite, toggling, toggle, remove };
}
