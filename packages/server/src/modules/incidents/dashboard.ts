import { and, count, desc, gte, isNotNull, ne, sql } from 'drizzle-orm';
import { PRIORITIES, type IncidentDashboard, type Priority } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import type { TreeModule } from '../tree/index.js';
import { incidentAlerts, incidents } from './incidents.tables.js';

const TOP = 10;

/** Open incidents by priority; MTTA/MTTR, breaches and the noisiest alerts and nodes over the last 7 or 30 days. */
export async function incidentDashboard(db: Db, tree: TreeModule, now: Date, days: number): Promise<IncidentDashboard> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const open = await db.select({ priority: incidents.priority, n: count() }).from(incidents).where(ne(incidents.status, 'resolved')).groupBy(incidents.priority);
  const openByPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  for (const o of open) if (o.priority in openByPriority) openByPriority[o.priority as Priority] = o.n;
  const [m] = await db.select({
    opened: count(),
    mtta: sql<string | null>`avg(extract(epoch from ${incidents.acknowledgedAt} - ${incidents.createdAt}))`,
    mttr: sql<string | null>`avg(extract(epoch from ${incidents.resolvedAt} - ${incidents.createdAt}))`,
    breaches: sql<number>`count(*) filter (where ${incidents.ackBreachedAt} is not null or ${incidents.resolveBreachedAt} is not null)`,
  }).from(incidents).where(gte(incidents.createdAt, since));
  const alerts = await db.select({ title: incidentAlerts.title, n: count() }).from(incidentAlerts).where(gte(incidentAlerts.addedAt, since))
    .groupBy(incidentAlerts.title).orderBy(desc(count())).limit(TOP);
  const nodes = await db.select({ nodeId: incidents.nodeId, n: count() }).from(incidents).where(and(gte(incidents.createdAt, since), isNotNull(incidents.nodeId)))
    .groupBy(incidents.nodeId).orderBy(desc(count())).limit(TOP);
  const noisiestNodes = await Promise.all(nodes.map(async (n) => ({ nodeId: n.nodeId ?? '', path: (await tree.nodeInfo(n.nodeId ?? ''))?.path ?? null, count: n.n })));
  const num = (v: string | null | undefined): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));
  return {
    days, openByPriority, opened: m?.opened ?? 0, mttaSeconds: num(m?.mtta), mttrSeconds: num(m?.mttr), slaBreaches: Number(m?.breaches ?? 0),
    noisiestAlerts: alerts.map((a) => ({ title: a.title, count: a.n })), noisiestNodes,
  };
}
