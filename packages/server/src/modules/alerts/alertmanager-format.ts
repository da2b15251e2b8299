import { AlertmanagerWebhook } from '@opsline/contracts';
import { dateOf, descriptionOf, fingerprintOf, hostNamesOf, mapSeverity, parseBody, titleOf, type IncomingAlert, type IngestIntegration } from './alert-normalize.js';

/**
 * Alertmanager's webhook (v4): one delivery per group, each alert with its
 * own status. Alertmanager's fingerprint is kept as ours, so two
 * Alertmanagers (an HA pair on two integrations) sending one alert make one row.
 */
export function fromAlertmanager(body: unknown, i: IngestIntegration): IncomingAlert[] {
  const hook = parseBody(AlertmanagerWebhook, body);
  return hook.alerts.map((a) => ({
    fingerprint: a.fingerprint ?? fingerprintOf(i.id, { labels: a.labels }),
    status: a.status,
    severity: mapSeverity(i, a.labels.severity),
    title: titleOf(a.annotations.summary ?? a.labels.alertname ?? ''),
    description: descriptionOf(a.annotations.description ?? a.annotations.message),
    labels: a.labels,
    annotations: a.annotations,
    startsAt: dateOf(a.startsAt),
    endsAt: a.status === 'resolved' ? dateOf(a.endsAt) : null,
    hostNames: hostNamesOf(a.labels),
    nodeRef: a.labels.node ?? null,
  }));
}
