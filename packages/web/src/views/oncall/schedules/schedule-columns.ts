import type { OncallScheduleView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { actionsCell, tagsCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  teamName: (id: string) => string;
  onEdit: (s: OncallScheduleView) => void;
  onDelete: (s: OncallScheduleView) => void;
}

/** Schedules: name (to its calendar), zone, team, layers, and who is on call now. */
export function scheduleColumns(ctx: Ctx): DataTableColumns<OncallScheduleView> {
  const { t } = ctx;
  const columns: DataTableColumns<OncallScheduleView> = [
    {
      key: 'name',
      title: t('oncall.schedules.name'),
      minWidth: 180,
      render: (s) => h(RouterLink, { to: { name: 'oncall-schedule', params: { id: s.id } }, class: 'table-link', 'data-testid': 'schedule-row-name' }, { default: () => s.name }),
    },
    {
      key: 'onCallNow',
      title: t('oncall.schedules.onCallNow'),
      minWidth: 160,
      render: (s) =>
        s.onCallNow.length
          ? h('span', { 'data-testid': 'schedule-row-oncall' }, [tagsCell(s.onCallNow.map((p) => p.username), 'success')])
          : h('span', { class: 'muted', 'data-testid': 'schedule-row-oncall' }, t('oncall.nobody')),
    },
    { key: 'timeZone', title: t('oncall.timeZone'), width: 160, render: (s) => h('span', { class: 'mono' }, s.timeZone) },
    { key: 'team', title: t('oncall.schedules.team'), width: 140, render: (s) => (s.teamId ? ctx.teamName(s.teamId) : h('span', { class: 'muted' }, '—')) },
    { key: 'layers', title: t('oncall.schedules.layers'), minWidth: 160, render: (s) => tagsCell(s.layers.map((l) => l.name)) },
    { key: 'updatedAt', title: t('oncall.updatedAt'), width: 170, render: (s) => timeCell(s.updatedAt) },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (s) => actionsCell({ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(s) }, [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(s) }], 'schedule'),
    });
  }
  return columns;
}
