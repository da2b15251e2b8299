import { ALERT_SEVERITIES, ALERT_STATUSES, type AlertSeverity, type AlertStatus } from '@opsline/contracts';
import type { AlertFilter } from '../../../api/alerts';
import { i18n } from '../../../platform/i18n';
import { alertStatusText } from '../shared/alert-tags';

/** Which alerts the list shows: the firing ones (default), all, or the resolved ones. */
export type AlertScope = 'all' | AlertStatus;

export interface AlertListFilters {
  view: AlertScope;
  severity: AlertSeverity | null;
  integrationId: string | null;
  nodeId: string | null;
  q: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const oneOf = <T extends string>(values: readonly T[], v: unknown): T | null => values.find((x) => x === v) ?? null;

/** The filters a URL holds (`?view=all&severity=P1&integration=…&node=…&q=…`), so a filtered list can be linked. */
export function filtersOf(query: Record<string, unknown>): AlertListFilters {
  return {
    view: oneOf(['all', ...ALERT_STATUSES] as const, query.view) ?? 'firing',
    severity: oneOf(ALERT_SEVERITIES, query.severity),
    integrationId: text(query.integration),
    nodeId: text(query.node),
    q: text(query.q) ?? '',
  };
}

export const queryOf = (f: AlertListFilters) => ({
  view: f.view === 'firing' ? undefined : f.view,
  severity: f.severity ?? undefined,
  integration: f.integrationId ?? undefined,
  node: f.nodeId ?? undefined,
  q: f.q.trim() || undefined,
});

/** As the API takes them. */
export const apiFilter = (f: AlertListFilters): AlertFilter => ({
  status: f.view === 'all' ? null : f.view,
  severity: f.severity,
  integrationId: f.integrationId,
  nodeId: f.nodeId,
  q: f.q.trim(),
});

export const isFiltered = (f: AlertListFilters): boolean => f.view !== 'firing' || Boolean(f.severity || f.integrationId || f.nodeId || f.q.trim());

export const viewOptions = () => [
  ...ALERT_STATUSES.map((s) => ({ value: s, label: alertStatusText(s) })),
  { value: 'all', label: i18n.global.t('alerts.list.viewAll') },
];
