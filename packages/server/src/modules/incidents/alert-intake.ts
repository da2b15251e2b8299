import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { IncidentSettings } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { inTransaction } from '../../platform/db/tx.js';
import type { PlatformServices } from '../../platform/services.js';
import { createStormMeter, groupOf, stormSources, type IncomingAlert } from './grouping.js';
import { incidentsRepo, type IncidentRow } from './incidents.repo.js';
import { asPriority, levelsFor, type IncidentService } from './incidents.service.js';
import { groupingRules, incidentAlerts, incidents } from './incidents.tables.js';
import type { PagingPort } from './paging-port.js';
import type { SelfHeal } from './self-heal.js';

/** Alerts a storm incident lists one by one in its timeline; the rest are counted. */
const STORM_TIMELINE = 20;

/**
 * Turns alert changes into incidents: a new alert joins its group's open
 * incident or opens one (paged after the group wait); in a storm it joins the
 * storm's one incident, and the unpaged incidents of the storm's source merge
 * into it; a resolved alert leaves its incident, which resolves when none fires.
 */
export function createAlertIntake(deps: { platform: PlatformServices; service: IncidentService; paging: PagingPort; selfHeal: SelfHeal; onOpened: () => void }) {
  const { platform, service, paging } = deps;
  const { db, clock } = platform;
  const meter = createStormMeter();

  async function attach(tx: Db, inc: IncidentRow, alerts: IncomingAlert[]): Promise<void> {
    const now = clock.now();
    const added = await tx.insert(incidentAlerts).values(alerts.map((a) => ({ incidentId: inc.id, alertId: a.alertId, title: a.title, severity: a.severity, firing: true, addedAt: now })))
      .onConflictDoNothing().returning({ alertId: incidentAlerts.alertId, title: incidentAlerts.title });
    if (!added.length) return;
    await tx.update(incidents).set({ alertCount: sql`${incidents.alertCount} + ${added.length}`, firingCount: sql`${incidents.firingCount} + ${added.length}`, updatedAt: now }).where(eq(incidents.id, inc.id));
    const listed = inc.source === 'storm' ? added.slice(0, Math.max(0, STORM_TIMELINE - inc.alertCount)) : added;
    for (const a of listed) await incidentsRepo.addTimeline(tx, inc.id, now, 'alert', a.title, null, { alertId: a.alertId });
  }

  async function policyFor(a: IncomingAlert): Promise<string | null> {
    const routes = await paging.route({ labels: a.labels, severity: asPriority(a.severity), nodeId: a.nodeId }, clock.now());
    return routes[0]?.escalationPolicyId ?? null;
  }

  /** The open incident of a group, or a new one; a group past its window lets go of its key first. */
  async function incidentFor(known: IncidentRow | null, alert: IncomingAlert, key: string, windowMinutes: number, s: IncidentSettings, storm: string | null): Promise<IncidentRow> {
    const now = clock.now();
    let hint = known;
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = hint ?? (await incidentsRepo.openByGroup(db, key));
      if (found && (storm || !found.groupUntil || found.groupUntil > now)) return found;
      if (found) await db.update(incidents).set({ groupKey: null }).where(eq(incidents.id, found.id));
      const policy = await policyFor(alert);
      const made = await inTransaction(db, async (tx) => {
        const inc = await service.open(tx, {
          title: storm ? `Alert storm: over ${s.stormPerMinute} new alerts a minute from ${storm.replace(':', ' ')}` : alert.title,
          ...(storm ? { impact: 'high' as const, urgency: 'high' as const } : levelsFor(alert.severity)),
          source: storm ? 'storm' : 'alerts', nodeId: alert.nodeId, integrationId: alert.integrationId, escalationPolicyId: policy, groupKey: key,
          groupUntil: new Date(now.getTime() + windowMinutes * 60_000), firstPageAt: new Date(now.getTime() + (storm ? 0 : s.groupWaitSeconds * 1000)),
        }, s, 'alerts');
        if (inc) await platform.events.append(tx, 'incident.opened', { incidentId: inc.id, number: inc.number, title: inc.title, priority: inc.priority }, { summary: `incident #${inc.number} ${inc.title} opened (${inc.priority})`, resourceType: 'incident', resourceId: inc.id, nodeId: inc.nodeId, severity: 'warning' });
        return inc;
      });
      if (made) {
        deps.onOpened();
        return made;
      }
      hint = null;
    }
    throw new Error(`could not open or find the incident of group ${key}`);
  }

  /** A storm began: the incidents of its source not paged yet (still in their group wait) fold into the storm. */
  async function gather(storm: IncidentRow, source: string): Promise<void> {
    const [kind, id] = source.split(':');
    const scope = kind === 'node' ? eq(incidents.nodeId, id ?? '') : eq(incidents.integrationId, id ?? '');
    const pending = await db.select().from(incidents).where(and(scope, eq(incidents.status, 'triggered'), eq(incidents.escLevel, -1), eq(incidents.source, 'alerts'), gt(incidents.createdAt, new Date(clock.now().getTime() - 120_000))));
    for (const inc of pending) {
      await inTransaction(db, async (tx) => {
        const moved = await tx.select().from(incidentAlerts).where(and(eq(incidentAlerts.incidentId, inc.id), eq(incidentAlerts.firing, true)));
        await tx.delete(incidentAlerts).where(eq(incidentAlerts.incidentId, inc.id));
        const fresh = (await incidentsRepo.byId(tx, storm.id)) ?? storm;
        await attach(tx, fresh, moved.map((m) => ({ alertId: m.alertId, title: m.title, severity: m.severity, change: 'new', labels: {}, nodeId: null, hostId: null, integrationId: null, silenced: false })));
        await tx.update(incidents).set({ firingCount: 0 }).where(eq(incidents.id, inc.id));
        await service.resolveIn(tx, inc.id, 'alerts', `Merged into the storm incident #${storm.number} before anyone was paged`);
      });
    }
  }

  /**
   * A storm's source stays in its storm while the storm incident is open and
   * within its window, even when the rate drops below the threshold: a storm
   * that slows down does not go back to paging alert by alert. Looked up once
   * per source per batch.
   */
  function openStorms(): (a: IncomingAlert) => Promise<string | null> {
    const known = new Map<string, boolean>();
    return async (a) => {
      const now = clock.now();
      for (const source of stormSources(a)) {
        if (!known.has(source)) {
          const inc = await incidentsRepo.openByGroup(db, `storm:${source}`);
          known.set(source, !!inc && (!inc.groupUntil || inc.groupUntil > now));
        }
        if (known.get(source)) return source;
      }
      return null;
    };
  }

  /** A new alert on a host whose routing rule self-heals starts that rule's job there (storms do not). */
  async function healEach(inc: IncidentRow, alerts: IncomingAlert[]): Promise<void> {
    for (const a of alerts) {
      if (!a.hostId) continue;
      const rule = (await paging.route({ labels: a.labels, severity: asPriority(a.severity), nodeId: a.nodeId }, clock.now())).find((r) => r.selfHeal);
      if (rule) await deps.selfHeal.run(inc, a, rule);
    }
  }

  async function resolved(alertIds: string[]): Promise<void> {
    if (!alertIds.length) return;
    const now = clock.now();
    await inTransaction(db, async (tx) => {
      const ended = await tx.update(incidentAlerts).set({ firing: false }).where(and(inArray(incidentAlerts.alertId, alertIds), eq(incidentAlerts.firing, true))).returning();
      const byIncident = new Map<string, typeof ended>();
      for (const e of ended) byIncident.set(e.incidentId, [...(byIncident.get(e.incidentId) ?? []), e]);
      for (const [incidentId, list] of byIncident) {
        const [inc] = await tx.update(incidents).set({ firingCount: sql`greatest(${incidents.firingCount} - ${list.length}, 0)`, updatedAt: now }).where(eq(incidents.id, incidentId)).returning();
        if (!inc) continue;
        if (inc.source !== 'storm' || list.length <= STORM_TIMELINE) for (const e of list) await incidentsRepo.addTimeline(tx, incidentId, now, 'alert_resolved', e.title, null, { alertId: e.alertId });
        if (inc.firingCount === 0 && inc.status !== 'resolved' && inc.source !== 'manual') {
          const done = await service.resolveIn(tx, incidentId, 'alerts', 'Every alert resolved');
          if (done) await platform.events.append(tx, 'incident.resolved', { incidentId, number: done.number, title: done.title, by: 'alerts' }, { summary: `incident #${done.number} resolved: every alert resolved`, resourceType: 'incident', resourceId: incidentId, nodeId: done.nodeId });
        }
      }
    });
  }

  return {
    /** Alerts that resolved: they leave their incidents, which resolve when none fires. */
    resolve: resolved,
    /** One batch of alert changes, in order. */
    async ingest(batch: IncomingAlert[]): Promise<void> {
      const s = await incidentsRepo.settings(db);
      const rules = (await db.select().from(groupingRules).where(eq(groupingRules.enabled, true)).orderBy(asc(groupingRules.order), asc(groupingRules.id)));
      await resolved(batch.filter((a) => a.change === 'resolved').map((a) => a.alertId));
      // Alerts of one group in one batch join together: one lookup, one statement.
      const groups = new Map<string, { alerts: IncomingAlert[]; windowMinutes: number; storm: string | null }>();
      const stormOf = openStorms();
      for (const a of batch) {
        if (a.change !== 'new' || a.silenced) continue;
        const storm = meter.hit(a, clock.now().getTime(), s.stormPerMinute) ?? (await stormOf(a));
        const g = storm ? { key: `storm:${storm}`, windowMinutes: 60 } : groupOf(a, rules, { groupBy: s.defaultGroupBy, windowMinutes: s.defaultWindowMinutes });
        const entry = groups.get(g.key) ?? { alerts: [], windowMinutes: g.windowMinutes, storm };
        entry.alerts.push(a);
        groups.set(g.key, entry);
      }
      for (const [key, g] of groups) {
        const first = g.alerts[0];
        if (!first) continue;
        const existing = g.storm ? await incidentsRepo.openByGroup(db, key) : null;
        const inc = await incidentFor(existing ?? null, first, key, g.windowMinutes, s, g.storm);
        await inTransaction(db, (tx) => attach(tx, inc, g.alerts));
        if (g.storm && !existing) await gather(inc, g.storm);
        if (!g.storm) await healEach(inc, g.alerts);
      }
    },
  };
}

export type AlertIntake = ReturnType<typeof createAlertIntake>;
