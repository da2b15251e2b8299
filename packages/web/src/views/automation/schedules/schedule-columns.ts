import type { ScheduleView } from '@opsline/contracts';
import { NSwitch, type DataTableColumns } from 'naive-ui';
import { h, type VNode } from 'vue';
import { relativeTimeCell } from '../../../platform/components/cells';
import { i18n, type Translate } from '../../../platform/i18n';
import { actionsColumn } from '../../cmdb/shared/cmdb-cells';
import { linkCell, scheduleRunLink, schedulePath } from '../shared/links';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  /** Ids whose switch is waiting for the server. */
  toggling: ReadonlySet<string>;
  onToggle: (s: ScheduleView, enabled: boolean) => void;
  onEdit: (s: ScheduleView) => void;
  onDelete: (s: ScheduleView) => void;
}

/** The pattern in monospace over its zone. */
export const cronCell = (s: Pick<ScheduleView, 'cron' | 'timezone'>): VNode =>
  h('div', { class: 'automation-cron' }, [h('code', { 'data-testid': 'schedule-row-cron' }, s.cron), h('span', { class: 'muted automation-cron__zone' }, s.timezone)]);

/** What it runs: the template's or workflow's name, over which of the two it is. */
export const targetCell = (s: ScheduleView): VNode =>
  h('div', { class: 'automation-cron' }, [
    h('span', { 'data-testid': 'schedule-row-target' }, s.targetName),
    h('span', { class: 'muted automation-cron__zone' }, i18n.global.t(`automation.schedules.targets.${s.workflowId ? 'workflow' : 'template'}`)),
  ]);

/** When it last fired, and the run it started. */
export const lastFiredCell = (s: ScheduleView, never: string): VNode =>
  h('div', { class: 'automation-cron' }, [relativeTimeCell(s.lastFiredAt, never), s.lastRunId ? scheduleRunLink(s, s.lastRunId, 'schedule-row-last-run') : null]);

export function scheduleColumns(ctx: Ctx): DataTableColumns<ScheduleView> {
  const { t } = ctx;
  const columns: DataTableColumns<ScheduleView> = [
    { key: 'name', title: t('automation.schedules.name'), minWidth: 160, render: (s) => linkCell(schedulePath(s.id), s.name, 'schedule-row-name') },
    { key: 'target', title: t('automation.schedules.runs'), minWidth: 170, render: targetCell },
    { key: 'cron', title: t('automation.schedules.cronShort'), minWidth: 170, render: cronCell },
    {
      key: 'enabled',
      title: t('automation.schedules.enabled'),
      width: 80,
      render: (s) =>
        h(NSwitch, {
          value: s.enabled,
          size: 'small',
          disabled: !ctx.canWrite,
          loading: ctx.toggling.has(s.id),
          'onUpdate:value': (v: boolean) => ctx.onToggle(s, v),
          'data-testid': 'schedule-row-enabled',
        }),
    },
    {
      key: 'next',
      title: t('automation.schedules.nextFire'),
      width: 150,
      render: (s) => h('span', { 'data-testid': 'schedule-row-next' }, [relativeTimeCell(s.nextFires[0] ?? null, t('automation.schedules.notScheduled'))]),
    },
    { key: 'last', title: t('automation.schedules.lastFired'), width: 150, render: (s) => lastFiredCell(s, t('automation.schedules.never')) },
  ];
  if (ctx.canWrite) columns.push(actionsColumn(t, 'schedule', { onEdit: ctx.onEdit, onDelete: ctx.onDelete }));
  return columns;
}
