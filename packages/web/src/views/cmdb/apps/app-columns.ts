import type { AppPort, AppView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { actionsColumn, labelsCell, nodesCell, ownersCell } from '../shared/cmdb-cells';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  /** Fewer columns, for a node's tab beside the tree: no repository or update time. */
  compact: boolean;
  onEdit: (a: AppView) => void;
  onDelete: (a: AppView) => void;
}

/** `8080/tcp http` */
const portText = (p: AppPort): string => `${p.port}/${p.protocol}${p.name ? ` ${p.name}` : ''}`;

export function appColumns(ctx: Ctx): DataTableColumns<AppView> {
  const { t } = ctx;
  const columns: DataTableColumns<AppView> = [
    {
      key: 'name',
      title: t('apps.name'),
      minWidth: 150,
      render: (a) =>
        h('div', null, [
          h('div', { class: 'host-cell__name', 'data-testid': 'app-row-name' }, a.name),
          a.description ? h('div', { class: 'muted cell-sub', title: a.description }, a.description) : null,
        ]),
    },
    { key: 'node', title: t('apps.node'), minWidth: 150, render: (a) => nodesCell(a.node ? [a.node] : [], t('apps.noNode')) },
    {
      key: 'runtime',
      title: t('apps.runtime'),
      width: 110,
      render: (a) => h(NTag, { size: 'small', bordered: false, type: a.runtime === 'k8s' ? 'info' : 'default' }, { default: () => t(`apps.runtimes.${a.runtime}`) }),
    },
    { key: 'owners', title: t('cmdb.owners'), minWidth: 120, render: (a) => ownersCell(a.owners) },
    { key: 'ports', title: t('apps.ports'), minWidth: 120, render: (a) => tagsCell(a.ports.map(portText), 'default', 3) },
    { key: 'labels', title: t('cmdb.labels'), minWidth: 140, render: (a) => labelsCell(a.labels) },
  ];
  if (ctx.compact) return withActions(columns, ctx);
  columns.push(
    {
      key: 'repoUrl',
      title: t('apps.repoUrl'),
      minWidth: 160,
      ellipsis: { tooltip: true },
      render: (a) => (a.repoUrl ? h('code', null, a.repoUrl) : h('span', { class: 'muted' }, '—')),
    },
    { key: 'updatedAt', title: t('cmdb.updatedAt'), width: 170, render: (a) => timeCell(a.updatedAt) },
  );
  return withActions(columns, ctx);
}

function withActions(columns: DataTableColumns<AppView>, ctx: Ctx): DataTableColumns<AppView> {
  return ctx.canWrite ? [...columns, actionsColumn(ctx.t, 'app', { onEdit: ctx.onEdit, onDelete: ctx.onDelete })] : columns;
}
