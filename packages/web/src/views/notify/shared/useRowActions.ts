import { useMessage } from 'naive-ui';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useConfirm } from '../../../platform/composables/useConfirm';
import { errorText } from '../../../platform/i18n/error-text';

interface Named {
  id: string;
  name: string;
}

/**
 * A list row's enabled switch (saved at once, with progress on the switch) and
 * its delete behind a confirm. Messages are `<prefix>.enabledNow`,
 * `.disabledNow`, `.deleteTitle`, `.deleteConfirm` and `.deleted`, each given `{name}`.
 */
export function useRowActions<T extends Named>(opts: {
  prefix: string;
  setEnabled: (row: T, enabled: boolean) => Promise<unknown>;
  remove: (row: T) => Promise<unknown>;
  after: () => Promise<void>;
}) {
  const { t } = useI18n();
  const message = useMessage();
  const confirm = useConfirm();
  const toggling = ref(new Set<string>());

  async function toggle(row: T, enabled: boolean): Promise<void> {
    toggling.value = new Set([...toggling.value, row.id]);
    try {
      await opts.setEnabled(row, enabled);
      message.success(t(`${opts.prefix}.${enabled ? 'enabledNow' : 'disabledNow'}`, { name: row.name }));
      await opts.after();
    } catch (err) {
      message.error(errorText(err), { duration: 6000 });
    } finally {
      toggling.value = new Set([...toggling.value].filter((id) => id !== row.id));
    }
  }

  function remove(row: T): void {
    confirm({
      title: t(`${opts.prefix}.deleteTitle`),
      content: t(`${opts.prefix}.deleteConfirm`, { name: row.name }),
      positiveText: t('common.delete'),
      success: t(`${opts.prefix}.deleted`, { name: row.name }),
      action: async () => {
        await opts.remove(row);
        await opts.after();
      },
    });
  }

  return { toggling, toggle, remove };
}
