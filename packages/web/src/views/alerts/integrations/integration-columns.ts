import type { IntegrationView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { ingestUrlTemplate } from '../../../api/alerts';
import { actionsCell, statusTag, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { priorityTag } from '../../incidents/shared/incident-tags';
import { enabledColumn } from '../../notify/shared/enabled-column';
import { integrationTypeText } from '../shared/alert-tags';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  /** Integrations whose switch is being saved. */
  toggling: ReadonlySet<string>;
  onOpen: (i: IntegrationView) => void;
  onToggle: (i: IntegrationView, enabled: boolean) => void;
  onRotate: (i: IntegrationView) => void;
  onRejected: (i: IntegrationView) => void;
  onAlerts: (i: IntegrationView) => void;
  onDelete: (i: IntegrationView) => void;
}

/** The integrations: a name opens the form; the URL shows where to post (the key stands as `{key}`). */
export function integrationColumns(ctx: Ctx): DataTableColumns<IntegrationView> {
  const { t } = ctx;
  const more = (i: IntegrationView): RowAction[] => [
    { key: 'alerts', label: t('alerts.integrations.showAlerts'), run: () => ctx.onAlerts(i) },
    ...(ctx.canAdmin
      ? [
          { key: 'rejected', label: t('alerts.integrations.rejected.open'), run: () => ctx.onRejected(i) },
          { key: 'rotate', label: t('alerts.integrations.rotate'), run: () => ctx.onRotate(i) },
          { key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(i) },
        ]
      : []),
  ];
  return [
    {
      key: 'name',
      title: t('alerts.integrations.name'),
      minWidth: 180,
      render: (i) => h('a', { class: 'table-link', href: '#', 'data-testid': 'integration-row-name', onClick: (e: Event) => (e.preventDefault(), ctx.onOpen(i)) }, i.name),
    },
    { key: 'type', title: t('alerts.integrations.type'), width: 130, render: (i) => statusTag(integrationTypeText(i.type), 'info', 'integration-row-type') },
    {
      key: 'url',
      title: t('alerts.integrations.ingestUrl'),
      minWidth: 240,
      ellipsis: { tooltip: true },
      render: (i) => h('code', { 'data-testid': 'integration-row-url' }, ingestUrlTemplate(i)),
    },
    { key: 'key', title: t('alerts.integrations.key'), width: 110, render: (i) => h('code', { 'data-testid': 'integration-row-key' }, `${i.keyPrefix}…`) },
    enabledColumn<IntegrationView>({ title: t('alerts.integrations.enabled'), canChange: ctx.canAdmin, toggling: ctx.toggling, testId: 'integration-row-enabled', onToggle: ctx.onToggle }),
    { key: 'defaultSeverity', title: t('alerts.integrations.defaultSeverity'), width: 100, render: (i) => priorityTag(i.defaultSeverity, 'integration-row-default-severity') },
    { key: 'keyRotatedAt', title: t('alerts.integrations.keyRotatedAt'), width: 160, render: (i) => timeCell(i.keyRotatedAt) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 120,
      align: 'right',
      render: (i) => actionsCell({ key: 'edit', label: ctx.canAdmin ? t('common.edit') : t('alerts.integrations.view'), run: () => ctx.onOpen(i) }, more(i), 'integration'),
    },
  ];
}
