import { INCIDENT_STATES, PRIORITIES, type IncidentStatus, type Priority } from '@opsline/contracts';
import type { IncidentFilter } from '../../../api/incidents';
import { i18n } from '../../../platform/i18n';
import { incidentStatusText } from '../shared/incident-tags';

/** Which incidents the list shows: the open ones (default), all, or those of one status. */
export type ListScope = 'open' | 'all' | IncidentStatus;

export interface IncidentListFilters {
  view: ListScope;
  priority: Priority | null;
  assigneeId: string | null;
  q: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | null => (values.find((x) => x === v) ?? null);

/** The filters a URL holds (`?view=all&priority=P1&assignee=…&q=…`), so a filtered list can be linked. */
export function filtersOf(query: Record<string, unknown>): IncidentListFilters {
  return {
    view: oneOf(['open', 'all', ...INCIDENT_STATES] as const, query.view) ?? 'open',
    priority: oneOf(PRIORITIES, query.priority),
    assigneeId: text(query.assignee),
    q: text(query.q) ?? '',
  };
}

export const queryOf = (f: IncidentListFilters) => ({
  view: f.view === 'open' ? undefined : f.view,
  priority: f.priority ?? undefined,
  assignee: f.assigneeId ?? undefined,
  q: f.q.trim() || undefined,
});

/** As the API takes them. */
export const apiFilter = (f: IncidentListFilters): IncidentFilter => ({
  ...(f.view === 'open' ? { open: true } : f.view === 'all' ? {} : { status: f.view }),
  priority: f.priority,
  assigneeId: f.assigneeId,
  q: f.q.trim(),
});

export const viewOptions = () => [
  { value: 'open', label: i18n.global.t('incidents.list.viewOpen') },
  { value: 'all', label: i18n.global.t('incidents.list.viewAll') },
  ...INCIDENT_STATES.map((s) => ({ value: s, label: incidentStatusText(s) })),
];
