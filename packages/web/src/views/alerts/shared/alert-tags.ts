import { ALERT_SEVERITIES, INTEGRATION_TYPES, type AlertStatus, type AlertView, type IntegrationType } from '@opsline/contracts';
import { h, type VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

const STATUS_TAG_TYPE: Record<AlertStatus, TagType> = { firing: 'error', resolved: 'success' };

export const alertStatusText = (status: AlertStatus): string => i18n.global.t(`alerts.statuses.${status}`);

export const alertStatusTag = (status: AlertStatus, testId = 'alert-status'): VNode => statusTag(alertStatusText(status), STATUS_TAG_TYPE[status], testId);

/** Firing or resolved, then whether a silence held it and whether someone acknowledged it. */
export function alertStateTags(a: AlertView): VNode {
  return h('span', { class: 'alert-state' }, [
    alertStatusTag(a.status, 'alert-row-status'),
    a.silencedBy ? statusTag(i18n.global.t('alerts.silenced'), 'default', 'alert-row-silenced') : null,
    // Held back by an inhibition rule: nobody was paged.
    a.inhibitedBy ? statusTag(i18n.global.t('alerts.inhibited'), 'default', 'alert-row-inhibited') : null,
    a.ackedAt ? statusTag(i18n.global.t('alerts.acked'), 'info', 'alert-row-acked') : null,
  ]);
}

export const integrationTypeText = (type: IntegrationType): string => i18n.global.t(`alerts.integrationTypes.${type}`);

export const severityOptions = () => ALERT_SEVERITIES.map((value) => ({ value, label: value }));
export const integrationTypeOptions = () => INTEGRATION_TYPES.map((value) => ({ value, label: integrationTypeText(value) }));

/** The host the sender named: the labels ingest looks up in the CMDB, in its order. */
export const alertHost = (a: Pick<AlertView, 'labels'>): string | null => a.labels.host ?? a.labels.instance ?? a.labels.hostname ?? null;

/** `alertmanager:Prometheus 生产` → the integration's name as it was when the alert came, and its type. */
export function alertSource(a: Pick<AlertView, 'source'>): { type: string; name: string } {
  const at = a.source.indexOf(':');
  return at < 0 ? { type: '', name: a.source } : { type: a.source.slice(0, at), name: a.source.slice(at + 1) };
}

/** `env=prod` for each label, in name order. */
export const labelPairs = (labels: Record<string, string>): string[] =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k] ?? ''}`);
