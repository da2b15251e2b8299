import type { IncidentView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { relativeTimeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { incidentNumber, incidentStatusTag, priorityTag } from '../shared/incident-tags';
import SlaCountdown from '../shared/SlaCountdown.vue';

interface Ctx {
  t: Translate;
  /** A checkbox column for bulk acknowledgement (triggered incidents only). */
  selectable: boolean;
}

const link = (incident: IncidentView, text: string, className: string, testId: string) =>
  h(RouterLink, { to: { name: 'incident', params: { id: incident.id } }, class: className, 'data-testid': testId }, { default: () => text });

/** Incidents, newest first: number and title open the incident's page; the SLA column counts down. */
export function incidentColumns(ctx: Ctx): DataTableColumns<IncidentView> {
  const { t } = ctx;
  const columns: DataTableColumns<IncidentView> = [
    { key: 'number', title: '#', width: 70, render: (r) => link(r, incidentNumber(r.number), 'incident-cell__number', 'incident-row-number') },
    { key: 'title', title: t('incidents.fields.title'), minWidth: 240, ellipsis: { tooltip: true }, render: (r) => link(r, r.title, 'incident-cell__title', 'incident-row-title') },
    { key: 'priority', title: t('incidents.fields.priority'), width: 80, render: (r) => priorityTag(r.priority, 'incident-row-priority') },
    { key: 'status', title: t('incidents.fields.status'), width: 90, render: (r) => incidentStatusTag(r.status, 'incident-row-status') },
    { key: 'sla', title: t('incidents.fields.sla'), width: 170, render: (r) => h(SlaCountdown, { incident: r }) },
    {
      key: 'assignee',
      title: t('incidents.fields.assignee'),
      width: 120,
      render: (r) => (r.assigneeName ? h('span', { 'data-testid': 'incident-row-assignee' }, r.assigneeName) : h('span', { class: 'muted' }, t('incidents.unassigned'))),
    },
    {
      key: 'alerts',
      title: t('incidents.fields.alerts'),
      width: 90,
      render: (r) =>
        h('span', { class: 'nowrap incident-cell__count', title: t('incidents.alertsTip', { total: r.alertCount, firing: r.firingCount }), 'data-testid': 'incident-row-alerts' }, [
          String(r.alertCount),
          r.firingCount > 0 ? h('span', { class: 'incident-cell__firing' }, ` (${r.firingCount})`) : null,
        ]),
    },
    { key: 'createdAt', title: t('incidents.fields.createdAt'), width: 120, render: (r) => relativeTimeCell(r.createdAt) },
  ];
  if (ctx.selectable) columns.unshift({ type: 'selection', disabled: (r) => r.status !== 'triggered' });
  return columns;
}
