import type { IngestResult, IntegrationType } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { writeBatch, type PlacedAlert } from './alert-batch.js';
import type { AlertListeners } from './alert-listeners.js';
import type { IncomingAlert, IngestIntegration } from './alert-normalize.js';
import { fromAlertmanager } from './alertmanager-format.js';
import { IngestGate } from './ingest-gate.js';
import type { IntegrationService } from './integration.service.js';
import { silenceFor } from './silence-match.js';
import type { InhibitService } from './inhibit.service.js';
import type { SilenceService } from './silence.service.js';
import { fromWebhook } from './webhook-format.js';
import { fromZabbix } from './zabbix-format.js';

/** Deliveries one server works on at once; more are told to come back (503). */
const MAX_IN_FLIGHT = 64;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FORMATS: Record<IntegrationType, (body: unknown, i: IngestIntegration) => IncomingAlert[]> = {
  alertmanager: fromAlertmanager,
  zabbix: fromZabbix,
  webhook: fromWebhook,
};

/** PostgreSQL text and jsonb cannot hold NUL: shown as ␀. */
const noNul = (s: string): string => (s.includes('\u0000') ? s.replaceAll('\u0000', '␀') : s);
const noNulIn = (o: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [noNul(k), noNul(v)]));

/**
 * The ingest pipeline: admit (key, rate, load), read the sender's format,
 * place each alert in the CMDB and against the silences, write the delivery
 * in one transaction, then publish its events and tell the listeners.
 */
export function createIngestService(deps: {
  platform: PlatformServices;
  tree: TreeModule;
  integrations: IntegrationService;
  silences: SilenceService;
  inhibits: InhibitService;
  listeners: AlertListeners;
}) {
  const { platform, tree, integrations, silences, inhibits, listeners } = deps;
  const gate = new IngestGate(MAX_IN_FLIGHT);

  /** The sender's alerts; a refused body is kept in the integration's rejected log before the 400. */
  async function read(i: IngestIntegration, format: IntegrationType, raw: string): Promise<IncomingAlert[]> {
    try {
      if (i.type !== format) {
        throw new AppError('INTEGRATION_FORMAT_MISMATCH', `This key belongs to a ${i.type} integration: post to /api/v1/integrations/{key}/${i.type}`);
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch (err) {
        const message = err instanceof Error ? err.message : 'not JSON';
        throw new AppError('INVALID_JSON', `body: ${message}`, { issues: [{ field: 'body', message }] });
      }
      return FORMATS[format](body, i).map((a) => ({
        ...a, title: noNul(a.title), description: noNul(a.description), labels: noNulIn(a.labels), annotations: noNulIn(a.annotations),
      }));
    } catch (err) {
      if (err instanceof AppError) await integrations.reject(i.id, err.message, raw);
      throw err;
    }
  }

  /** Host by the labels' names (hostname before IP), node by the `node` label else the host's, silence by the labels. */
  async function place(alerts: IncomingAlert[]): Promise<PlacedAlert[]> {
    const names = [...new Set(alerts.flatMap((a) => a.hostNames))];
    const refOf = (a: IncomingAlert): string | null => (a.nodeRef && UUID.test(a.nodeRef) ? a.nodeRef.toLowerCase() : a.nodeRef);
    const refs = [...new Set(alerts.map(refOf).filter((r): r is string => Boolean(r)))];
    const [hosts, nodes, rules] = await Promise.all([
      names.length ? tree.hostsByAddress(names) : [],
      refs.length ? tree.nodesByRef(refs) : new Map<string, string>(),
      silences.rules(),
    ]);
    const byName = new Map<string, (typeof hosts)[number]>();
    for (const h of hosts) byName.set(h.hostname.toLowerCase(), h);
    for (const h of hosts) for (const ip of h.ips) if (!byName.has(ip.toLowerCase())) byName.set(ip.toLowerCase(), h);
    const now = platform.clock.now();
    return alerts.map((a) => {
      const host = a.hostNames.map((n) => byName.get(n)).find((h) => h !== undefined);
      const ref = refOf(a);
      return {
        ...a,
        hostId: host?.id ?? null,
        nodeId: (ref ? nodes.get(ref) : undefined) ?? host?.nodeIds[0] ?? null,
        silencedBy: a.status === 'firing' ? silenceFor(rules, a.labels, now) : null,
        inhibitedBy: null,
      };
    });
  }

  return {
    /** One delivery to `/api/v1/integrations/:key/<format>`: committed before it answers. */
    async receive(format: IntegrationType, key: string, raw: string): Promise<IngestResult> {
      gate.enter();
      try {
        const integration = await integrations.byKey(key);
        if (!integration?.enabled) throw new AppError('INTEGRATION_KEY_INVALID');
        gate.take(integration.id, integration.rateLimit, platform.clock.now().getTime());
        const alerts = await inhibits.apply(await place(await read(integration, format, raw)));
        const written = await writeBatch(platform, integration, alerts, raw);
        platform.publish(written.events);
        listeners.emit(written.changes);
        return written.result;
      } finally {
        gate.leave();
      }
    },
  };
}

export type IngestService = ReturnType<typeof createIngestService>;
