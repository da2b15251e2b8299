import type { FastifyInstance } from 'fastify';
import type { CreateIncidentBody, IncidentSettings } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { PlatformServices } from '../../platform/services.js';
import type { AlertChange, AlertsModule } from '../alerts/index.js';
import type { TreeModule } from '../tree/index.js';
import { createAlertIntake } from './alert-intake.js';
import { createEscalation } from './escalation.js';
import { createHandoffSweep, SWEEP_EVERY_MS } from './handoff-sweep.js';
import type { IncomingAlert } from './grouping.js';
import { incidentsRepo } from './incidents.repo.js';
import { groupingRuleRoutes } from './grouping-rules.js';
import { incidentRoutes } from './incidents.routes.js';
import { createIncidentService, type IncidentService } from './incidents.service.js';
import type { PagingPort } from './paging-port.js';
import { createSelfHeal, type SelfHealJobs } from './self-heal.js';

export type { IncomingAlert } from './grouping.js';
export type { PagingPort } from './paging-port.js';

const TICK_MS = 5_000;
const CHANGE: Record<AlertChange['kind'], IncomingAlert['change']> = { fired: 'new', repeated: 'repeat', resolved: 'resolved' };

/** An alert change as incidents read it. */
const incoming = (c: AlertChange): IncomingAlert => ({
  alertId: c.alert.id, change: CHANGE[c.kind], title: c.alert.title, severity: c.alert.severity, labels: c.alert.labels, nodeId: c.alert.nodeId,
  hostId: c.alert.hostId, integrationId: c.alert.integrationId, silenced: c.silenced,
});

/** What other modules and tests use of incidents. */
export interface IncidentsModule {
  service: IncidentService;
  tree: TreeModule;
  /** A batch of alert changes from the alerts module (after it committed them). */
  ingest(batch: IncomingAlert[]): Promise<void>;
  /**
   * Takes in alerts a cut-off delivery left without an incident (every 30 s), pages what is due, marks SLA
   * breaches, sends storm summaries (a loop does it every 5 s; tests call it).
   */
  tick(): Promise<void>;
  settings(): Promise<IncidentSettings>;
  saveSettings(ctx: MutationContext, s: IncidentSettings): Promise<IncidentSettings>;
  /** The policy the routing rules pick for a hand-made incident (its node, and the priority its levels give). */
  routeManual(body: CreateIncidentBody): Promise<string | null>;
}

/** Incidents: alert groups and storms become incidents, which page people through on-call's policies. */
export function registerIncidentsModule(app: FastifyInstance, platform: PlatformServices, deps: { tree: TreeModule; paging: PagingPort; jobs: SelfHealJobs; alerts: AlertsModule }): IncidentsModule {
  const { clock, db } = platform;
  let kick = (): void => undefined;
  const service = createIncidentService({ platform, tree: deps.tree, onOpened: () => kick() });
  const selfHeal = createSelfHeal({ platform, jobs: deps.jobs });
  const intake = createAlertIntake({ platform, service, paging: deps.paging, selfHeal, onOpened: () => kick() });
  deps.alerts.onAlerts((changes) => intake.ingest(changes.map(incoming)));
  platform.bus.subscribe((e) => {
    if (e.type !== 'job.run.finished' || !e.resourceId) return;
    const p = e.payload as { status: string; name: string };
    void selfHeal.runFinished(e.resourceId, p.status, p.name).catch((err: unknown) => platform.log.warn({ err }, 'could not tell an incident how its self-healing run went'));
  });
  const escalation = createEscalation({ platform, paging: deps.paging });
  const sweep = createHandoffSweep({ platform, alerts: deps.alerts, intake, incoming: (alert) => incoming({ kind: 'fired', alert, silenced: false }) });
  let sweptAt = -Infinity;
  async function pass(): Promise<void> {
    const now = clock.now().getTime();
    if (now - sweptAt >= SWEEP_EVERY_MS) {
      sweptAt = now;
      await sweep.run();
    }
    await escalation.tick();
  }
  let ticking: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    ticking ??= pass().catch((err: unknown) => platform.log.warn({ err }, 'incident paging pass failed')).finally(() => (ticking = null));
    return ticking;
  };
  kick = () => void tick();

  const m: IncidentsModule = {
    service,
    tree: deps.tree,
    ingest: (batch) => intake.ingest(batch),
    tick,
    settings: () => incidentsRepo.settings(db),
    async saveSettings(ctx, s) {
      const before = await incidentsRepo.settings(ctx.tx);
      await incidentsRepo.saveSettings(ctx.tx, s, clock.now());
      Object.assign(ctx.audit, { targetType: 'incident_settings', targetId: 'default', before, after: s });
      return s;
    },
    async routeManual(body) {
      const s = await incidentsRepo.settings(db);
      const priority = s.matrix[body.impact][body.urgency];
      const routes = await deps.paging.route({ labels: {}, severity: priority, nodeId: body.nodeId ?? null }, clock.now());
      return routes[0]?.escalationPolicyId ?? null;
    },
  };
  incidentRoutes(app, platform, m);
  groupingRuleRoutes(app, platform);

  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', () => {
    timer = setInterval(kick, TICK_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await ticking;
  });
  return m;
}
