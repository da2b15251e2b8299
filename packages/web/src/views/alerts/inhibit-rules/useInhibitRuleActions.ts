import type { InhibitRuleView } from '@opsline/contracts';
import { useMessage } from 'naive-ui';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { deleteInhibitRule, replaceInhibitRule } from '../../../api/alerts';
import { useConfirm } from '../../../platform/composables/useConfirm';
import { errorText } from '../../../platform/i18n/error-text';
import { inhibitRuleBodyOf } from './inhibit-rule-form';

/** Switching a rule on or off (the whole rule is put back), and deleting one behind a confirm; `after` refreshes the list. */
export function useInhibitRuleActions(after: () => Promise<void>) {
  const { t } = useI18n();
  const confirm = useConfirm();
  const message = useMessage();
  const toggling = ref<ReadonlySet<string>>(new Set());

  async function toggle(r: InhibitRuleView, enabled: boolean): Promise<void> {
    toggling.value = new Set([...toggling.value, r.id]);
    try {
      await replaceInhibitRule(r.id, inhibitRuleBodyOf(r, enabled));
      message.success(t(enabled ? 'alerts.inhibitRules.enabledNow' : 'alerts.inhibitRules.disabledNow', { name: r.name }));
      await after();
    } catch (err) {
      message.error(errorText(err));
    } finally {
      toggling.value = new Set([...toggling.value].filter((id) => id !== r.id));
    }
  }

  function remove(r: InhibitRuleView): void {
    confirm({
      title: t('alerts.inhibitRules.deleteTitle'),
      content: t('alerts.inhibitRules.deleteConfirm', { name: r.name }),
      positiveText: t('common.delete'),
      success: t('alerts.inhibitRules.deleted', { name: r.name }),
      action: async () => {
        await deleteInhibitRule(r.id);
        await after();
      },
    });
  }

  return { toggling, toggle, remove };
}
