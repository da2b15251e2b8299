import type { AlertSeverity, AlertStatus, AlertView } from '@opsline/contracts';
import type { AlertRow } from './alert.repo.js';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export function alertView(r: AlertRow): AlertView {
  return {
    id: r.id, fingerprint: r.fingerprint, status: r.status as AlertStatus, severity: r.severity as AlertSeverity, title: r.title, description: r.description,
    labels: r.labels, annotations: r.annotations, source: r.source, integrationId: r.integrationId, hostId: r.hostId, nodeId: r.nodeId,
    startsAt: iso(r.startsAt), endsAt: iso(r.endsAt), count: r.count, firstSeenAt: r.firstSeenAt.toISOString(), lastSeenAt: r.lastSeenAt.toISOString(),
    resolvedAt: iso(r.resolvedAt), silencedBy: r.silencedBy, inhibitedBy: r.inhibitedBy, ackedBy: r.ackedBy, ackedAt: iso(r.ackedAt),
  };
}
