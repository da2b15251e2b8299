import type { SilenceView } from '@opsline/contracts';
import { useI18n } from 'vue-i18n';
import { deleteSilence, expireSilence } from '../../../api/alerts';
import { useConfirm } from '../../../platform/composables/useConfirm';

/** Ending a silence now, and deleting one, each behind a confirm; `after` refreshes the list. */
export function useSilenceActions(after: () => Promise<void>) {
  const { t } = useI18n();
  const confirm = useConfirm();

  function expire(s: SilenceView): void {
    confirm({
      title: t('alerts.silences.expireTitle'),
      content: t('alerts.silences.expireConfirm', { comment: s.comment }),
      positiveText: t('alerts.silences.expire'),
      success: t('alerts.silences.expired'),
      action: async () => {
        await expireSilence(s.id);
        await after();
      },
    });
  }

  function remove(s: SilenceView): void {
    confirm({
      title: t('alerts.silences.deleteTitle'),
      content: t('alerts.silences.deleteConfirm', { comment: s.comment }),
      positiveText: t('common.delete'),
      success: t('alerts.silences.deleted'),
      action: async () => {
        await deleteSilence(s.id);
        await after();
      },
    });
  }

  return { expire, remove };
}
