import type { IntegrationView, IntegrationWithKey } from '@opsline/contracts';
import { useI18n } from 'vue-i18n';
import { rotateIntegrationKey } from '../../../api/alerts';
import { useConfirm } from '../../../platform/composables/useConfirm';

/** A new key for an integration, after a confirm (the old key stops working at once); `shown` gets it to show once. */
export function useKeyRotation(shown: (fresh: IntegrationWithKey) => void) {
  const { t } = useI18n();
  const confirm = useConfirm();

  function rotate(i: IntegrationView): void {
    confirm({
      title: t('alerts.integrations.rotateTitle'),
      content: t('alerts.integrations.rotateConfirm', { name: i.name }),
      positiveText: t('alerts.integrations.rotate'),
      action: async () => shown(await rotateIntegrationKey(i.id)),
    });
  }

  return { rotate };
}
