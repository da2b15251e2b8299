import type { AlertView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { monoCell, relativeTimeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { priorityTag } from '../../incidents/shared/incident-tags';
import { alertHost, alertSource, alertStateTags, integrationTypeText } from '../shared/alert-tags';

interface Ctx {
  t: Translate;
  /** A checkbox column for bulk acknowledgement (alerts nobody acknowledged yet). */
  selectable: boolean;
  nodePath: (id: string | null) => string | null;
  onOpen: (a: AlertView) => void;
}

const sourceCell = (a: AlertView) => {
  const { type, name } = alertSource(a);
  const known = type === 'alertmanager' || type === 'zabbix' || type === 'webhook';
  return h('span', { class: 'alert-cell__stack', 'data-testid': 'alert-row-source' }, [
    h('span', null, name),
    known ? h('span', { class: 'muted alert-cell__sub' }, integrationTypeText(type)) : null,
  ]);
};

/** Alerts, the most recently seen first: the title opens the alert's drawer; count says how often it came; the node and first sighting sit under the host and last sighting. */
export function alertColumns(ctx: Ctx): DataTableColumns<AlertView> {
  const { t } = ctx;
  const columns: DataTableColumns<AlertView> = [
    { key: 'severity', title: t('alerts.fields.severity'), width: 80, render: (a) => priorityTag(a.severity, 'alert-row-severity') },
    {
      key: 'title',
      title: t('alerts.fields.title'),
      minWidth: 240,
      ellipsis: { tooltip: true },
      render: (a) =>
        h('a', { class: 'table-link', href: '#', 'data-testid': 'alert-row-title', onClick: (e: Event) => (e.preventDefault(), ctx.onOpen(a)) }, a.title),
    },
    { key: 'status', title: t('alerts.fields.status'), width: 150, render: (a) => alertStateTags(a) },
    {
      key: 'host',
      title: t('alerts.fields.hostNode'),
      width: 170,
      render: (a) =>
        h('div', { class: 'alert-cell__stack' }, [
          h('span', { 'data-testid': 'alert-row-host' }, [monoCell(alertHost(a))]),
          a.nodeId ? h('span', { class: 'muted alert-cell__sub mono', 'data-testid': 'alert-row-node' }, ctx.nodePath(a.nodeId) ?? '') : null,
        ]),
    },
    { key: 'source', title: t('alerts.fields.source'), width: 160, render: sourceCell },
    { key: 'count', title: t('alerts.fields.count'), width: 70, align: 'right', render: (a) => h('span', { class: 'alert-cell__count', 'data-testid': 'alert-row-count' }, String(a.count)) },
    {
      key: 'lastSeenAt',
      title: t('alerts.fields.lastSeen'),
      width: 140,
      render: (a) =>
        h('div', { class: 'alert-cell__stack' }, [
          relativeTimeCell(a.lastSeenAt),
          h('span', { class: 'muted alert-cell__sub' }, [t('alerts.list.firstSeen'), ' ', relativeTimeCell(a.firstSeenAt)]),
        ]),
    },
  ];
  if (ctx.selectable) columns.unshift({ type: 'selection', disabled: (a) => a.ackedAt !== null });
  return columns;
}
