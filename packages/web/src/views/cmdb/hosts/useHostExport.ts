import { useMessage } from 'naive-ui';
import { ref } from 'vue';
import { exportHosts, type HostFilter } from '../../../api/hosts';
import { dateStamp, saveFile } from '../../../platform/download';
import { i18n } from '../../../platform/i18n';
import { errorText } from '../../../platform/i18n/error-text';

/** Download every host matching the list's filters as CSV, with progress on the button. */
export function useHostExport(filters: () => HostFilter) {
  const message = useMessage();
  const exporting = ref(false);

  async function run(): Promise<void> {
    exporting.value = true;
    try {
      const file = await exportHosts(filters());
      saveFile(file.blob, file.filename ?? `hosts-${dateStamp()}.csv`);
    } catch (err) {
      message.error(`${i18n.global.t('hosts.exportFailed')}: ${errorText(err)}`, { duration: 6000 });
    } finally {
      exporting.value = false;
    }
  }

  return { exporting, run };
}
