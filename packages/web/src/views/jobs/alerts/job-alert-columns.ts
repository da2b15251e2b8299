import type { JobAlertView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { tagsCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { actionsColumn } from '../../cmdb/shared/cmdb-cells';
import { enabledColumn } from '../../notify/shared/enabled-column';

interface Ctx {
  t: Translate;
  canAdmin: boolean;
  toggling: ReadonlySet<string>;
  names: { channel: (id: string) => string; template: (id: string) => string };
  onToggle: (a: JobAlertView, enabled: boolean) => void;
  onEdit: (a: JobAlertView) => void;
  onDelete: (a: JobAlertView) => void;
}

const muted = (text: string) => h('span', { class: 'muted' }, text);

/** Job alerts: whose runs, which outcomes (or how long a run may go on), and the channels told. */
export function jobAlertColumns(ctx: Ctx): DataTableColumns<JobAlertView> {
  const { t, names } = ctx;
  const columns: DataTableColumns<JobAlertView> = [
    { key: 'name', title: t('jobAlerts.name'), minWidth: 160, render: (a) => h('span', { class: 'job-alert__name', 'data-testid': 'job-alert-row-name' }, a.name) },
    {
      key: 'template',
      title: t('jobAlerts.template'),
      minWidth: 160,
      render: (a) => (a.templateId ? h('span', { 'data-testid': 'job-alert-row-template' }, names.template(a.templateId)) : muted(t('jobAlerts.allTemplates'))),
    },
    { key: 'on', title: t('jobAlerts.on'), minWidth: 170, render: (a) => tagsCell(a.on.map((o) => t(`jobs.runStatuses.${o}`)), 'warning') },
    {
      key: 'duration',
      title: t('jobAlerts.duration'),
      width: 130,
      render: (a) => (a.durationOverSec === null ? muted('—') : h('span', { class: 'nowrap' }, t('jobAlerts.durationCell', { n: Math.round(a.durationOverSec / 60) }))),
    },
    {
      key: 'channels',
      title: t('jobAlerts.channels'),
      minWidth: 200,
      render: (a) => h('span', { 'data-testid': 'job-alert-row-channels' }, [tagsCell(a.channelIds.map(names.channel), 'info', 3)]),
    },
    enabledColumn<JobAlertView>({ title: t('jobAlerts.enabled'), canChange: ctx.canAdmin, toggling: ctx.toggling, testId: 'job-alert-row-enabled', onToggle: ctx.onToggle }),
  ];
  if (ctx.canAdmin) columns.push(actionsColumn(t, 'job-alert', { onEdit: ctx.onEdit, onDelete: ctx.onDelete }));
  return columns;
}
