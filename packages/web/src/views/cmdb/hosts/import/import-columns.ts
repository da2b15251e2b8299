import type { HostImportRow } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import type { Translate } from '../../../../platform/i18n';

const ACTION_TYPE: Record<HostImportRow['action'], 'success' | 'info' | 'default' | 'error'> = {
  create: 'success',
  update: 'info',
  unchanged: 'default',
  reject: 'error',
};

export function importColumns(t: Translate): DataTableColumns<HostImportRow> {
  return [
    { key: 'line', title: t('hosts.import.line'), width: 64, render: (r) => h('span', { class: 'mono' }, String(r.line)) },
    {
      key: 'hostname',
      title: t('hosts.hostname'),
      width: 180,
      ellipsis: { tooltip: true },
      render: (r) => r.hostname || h('span', { class: 'muted' }, '—'),
    },
    {
      key: 'action',
      title: t('hosts.import.action'),
      width: 96,
      render: (r) =>
        h(NTag, { size: 'small', bordered: false, type: ACTION_TYPE[r.action], 'data-testid': 'import-row-action' }, { default: () => t(`hosts.import.actions.${r.action}`) }),
    },
    {
      key: 'errors',
      title: t('hosts.import.errors'),
      render: (r) =>
        r.errors.length === 0
          ? h('span', { class: 'muted' }, '—')
          : h(
              'ul',
              { class: 'import-errors', 'data-testid': 'import-row-errors' },
              r.errors.map((e, i) => h('li', { key: i }, [h('code', null, e.field), ' ', e.message])),
            ),
    },
  ];
}
