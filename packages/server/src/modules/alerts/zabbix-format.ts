import { ZabbixPayload } from '@opsline/contracts';
import { dateOf, descriptionOf, fingerprintOf, hostNamesOf, mapSeverity, parseBody, titleOf, type IncomingAlert, type IngestIntegration } from './alert-normalize.js';

const defined = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

/**
 * What docs/integrations/zabbix-media-type.js posts: one problem, update or
 * recovery. The problem's event id is the dedup key (a recovery carries it
 * too); its tags become labels, with the host's names beside them.
 */
export function fromZabbix(body: unknown, i: IngestIntegration): IncomingAlert[] {
  const p = parseBody(ZabbixPayload, body);
  const labels = {
    ...Object.fromEntries(p.tags.map((t) => [t.tag, t.value])),
    ...defined({ host: p.host, host_name: p.hostName, host_ip: p.hostIp, trigger_id: p.triggerId, event_id: p.eventId }),
  };
  const resolved = p.status === 'resolved';
  return [{
    fingerprint: fingerprintOf(i.id, { key: `event:${p.eventId}` }),
    status: resolved ? 'resolved' : 'firing',
    severity: mapSeverity(i, p.severityName, p.severity),
    title: titleOf(p.name),
    description: descriptionOf(p.message ?? p.opdata),
    labels,
    annotations: defined({ message: p.message, opdata: p.opdata, url: p.url, severity: p.severityName }),
    startsAt: dateOf(p.startsAt),
    endsAt: resolved ? dateOf(p.endsAt) : null,
    hostNames: hostNamesOf(labels, p.hostIp, p.hostName),
    nodeRef: labels.node ?? null,
  }];
}
