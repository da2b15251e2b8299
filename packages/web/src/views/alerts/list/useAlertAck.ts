import { useMessage } from 'naive-ui';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ackAlerts } from '../../../api/alerts';
import { errorText } from '../../../platform/i18n/error-text';

/** Acknowledges the chosen alerts in one call (the API takes up to 500 at once) and says how many it took. */
export function useAlertAck(after: () => Promise<void>) {
  const { t } = useI18n();
  const message = useMessage();
  const running = ref(false);

  async function ack(ids: string[]): Promise<boolean> {
    if (ids.length === 0) return false;
    running.value = true;
    try {
      const { acked } = await ackAlerts(ids);
      message.success(t('alerts.list.ackedNow', { n: acked }, acked));
      await after();
      return true;
    } catch (err) {
      message.error(errorText(err), { duration: 6000 });
      return false;
    } finally {
      running.value = false;
    }
  }

  return { running, ack };
}
