import type { TeamView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  userName: (id: string) => string;
  onEdit: (team: TeamView) => void;
  onDelete: (team: TeamView) => void;
}

export function teamColumns(ctx: Ctx): DataTableColumns<TeamView> {
  const { t } = ctx;
  const columns: DataTableColumns<TeamView> = [
    { key: 'name', title: t('teams.name'), minWidth: 160, render: (team) => h('strong', { 'data-testid': 'team-row-name' }, team.name) },
    {
      key: 'description',
      title: t('teams.descriptionLabel'),
      ellipsis: { tooltip: true },
      render: (team) => team.description || h('span', { class: 'muted' }, '—'),
    },
    {
      key: 'members',
      title: t('teams.members'),
      render: (team) =>
        h('div', { class: 'members-cell' }, [
          h('span', { class: 'members-cell__count' }, t('teams.memberCount', { n: team.memberIds.length }, team.memberIds.length)),
          team.memberIds.length > 0 ? tagsCell(team.memberIds.map(ctx.userName), 'default', 3) : null,
        ]),
    },
    { key: 'createdAt', title: t('common.createdAt'), render: (team) => timeCell(team.createdAt) },
  ];
  if (ctx.canWrite) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 110,
      render: (team) =>
        actionsCell(
          { key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(team) },
          [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(team) }],
          'team',
        ),
    });
  }
  return columns;
}
