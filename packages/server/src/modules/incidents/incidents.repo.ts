import { and, asc, desc, eq, ilike, inArray, lt, ne, or, sql } from 'drizzle-orm';
import { DEFAULT_PRIORITY_MATRIX, DEFAULT_SLA, type IncidentAlerts, type IncidentQuery, type IncidentSettings, type IncidentView, type TimelineEntry } from '@opsline/contracts';
import type { Db } from '../../platform/db/db.js';
import { escapeLike } from '../../platform/db/like.js';
import { uuidv7 } from '../../platform/ids.js';
import { incidentAlerts, incidentSettings, incidentTimeline, incidents } from './incidents.tables.js';

export type IncidentRow = typeof incidents.$inferSelect;
export const DEFAULT_SETTINGS: IncidentSettings = {
  matrix: DEFAULT_PRIORITY_MATRIX, sla: DEFAULT_SLA, stormPerMinute: 100, defaultGroupBy: ['alertname'], defaultWindowMinutes: 30, groupWaitSeconds: 30,
};

export function incidentView(r: IncidentRow): IncidentView {
  const iso = (d: Date | null): string | null => d?.toISOString() ?? null;
  return {
    id: r.id, number: r.number, title: r.title, description: r.description, status: r.status as IncidentView['status'], impact: r.impact as IncidentView['impact'],
    urgency: r.urgency as IncidentView['urgency'], priority: r.priority as IncidentView['priority'], source: r.source as IncidentView['source'], nodeId: r.nodeId,
    assigneeId: r.assigneeId, assigneeName: r.assigneeName, escalationPolicyId: r.escalationPolicyId,
    escalation: { level: r.escLevel, round: r.escRound, nextAt: iso(r.escNextAt) }, alertCount: r.alertCount, firingCount: r.firingCount,
    sla: { ackDueAt: r.ackDueAt.toISOString(), resolveDueAt: r.resolveDueAt.toISOString(), ackBreachedAt: iso(r.ackBreachedAt), resolveBreachedAt: iso(r.resolveBreachedAt) },
    postmortem: r.postmortem ?? null, createdAt: r.createdAt.toISOString(), acknowledgedAt: iso(r.acknowledgedAt), acknowledgedBy: r.acknowledgedBy,
    resolvedAt: iso(r.resolvedAt), resolvedBy: r.resolvedBy,
  };
}

export const incidentsRepo = {
  async byId(tx: Db, id: string): Promise<IncidentRow | undefined> {
    const [r] = await tx.select().from(incidents).where(eq(incidents.id, id)).limit(1);
    return r;
  },
  async list(tx: Db, q: IncidentQuery, after: string | undefined): Promise<IncidentRow[]> {
    const text = q.q ? `%${escapeLike(q.q)}%` : undefined;
    return tx.select().from(incidents).where(and(
      q.status ? eq(incidents.status, q.status) : undefined,
      q.open === 'true' ? ne(incidents.status, 'resolved') : q.open === 'false' ? eq(incidents.status, 'resolved') : undefined,
      q.priority ? eq(incidents.priority, q.priority) : undefined,
      q.assigneeId ? eq(incidents.assigneeId, q.assigneeId) : undefined,
      q.nodeId ? eq(incidents.nodeId, q.nodeId) : undefined,
      q.alertId ? inArray(incidents.id, tx.select({ id: incidentAlerts.incidentId }).from(incidentAlerts).where(eq(incidentAlerts.alertId, q.alertId))) : undefined,
      text ? or(ilike(incidents.title, text), sql`${incidents.number}::text = ${q.q ?? ''}`) : undefined,
      after ? lt(incidents.id, after) : undefined,
    )).orderBy(desc(incidents.id)).limit(q.limit + 1);
  },
  async alerts(tx: Db, incidentId: string, q: { firing?: boolean | undefined; limit: number }): Promise<IncidentAlerts> {
    const where = and(eq(incidentAlerts.incidentId, incidentId), q.firing === undefined ? undefined : eq(incidentAlerts.firing, q.firing));
    const rows = await tx.select().from(incidentAlerts).where(where).orderBy(desc(incidentAlerts.addedAt), desc(incidentAlerts.alertId)).limit(q.limit);
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(incidentAlerts).where(where);
    return { items: rows.map((r) => ({ alertId: r.alertId, title: r.title, severity: r.severity, firing: r.firing, addedAt: r.addedAt.toISOString() })), total: count?.n ?? 0 };
  },
  async openByGroup(tx: Db, key: string): Promise<IncidentRow | undefined> {
    const [r] = await tx.select().from(incidents).where(and(eq(incidents.groupKey, key), ne(incidents.status, 'resolved'))).limit(1);
    return r;
  },
  async addTimeline(tx: Db, incidentId: string, at: Date, kind: TimelineEntry['kind'], text: string, actor: string | null, data: Record<string, unknown> = {}): Promise<void> {
    await tx.insert(incidentTimeline).values({ id: uuidv7(at.getTime()), incidentId, at, kind, text, actor, data });
  },
  async timeline(tx: Db, incidentId: string): Promise<TimelineEntry[]> {
    const rows = await tx.select().from(incidentTimeline).where(eq(incidentTimeline.incidentId, incidentId)).orderBy(asc(incidentTimeline.id)).limit(5_000);
    return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), kind: r.kind as TimelineEntry['kind'], actor: r.actor, text: r.text, data: r.data }));
  },
  async settings(tx: Db): Promise<IncidentSettings> {
    const [r] = await tx.select().from(incidentSettings).where(eq(incidentSettings.id, 'default')).limit(1);
    return r ? { ...DEFAULT_SETTINGS, ...r.settings } : DEFAULT_SETTINGS;
  },
  async saveSettings(tx: Db, s: IncidentSettings, at: Date): Promise<void> {
    await tx.insert(incidentSettings).values({ id: 'default', settings: s, updatedAt: at }).onConflictDoUpdate({ target: incidentSettings.id, set: { settings: s, updatedAt: at } });
  },
  async due(tx: Db, now: Date): Promise<IncidentRow[]> {
    return tx.select().from(incidents).where(and(eq(incidents.status, 'triggered'), sql`${incidents.escNextAt} <= ${now}`)).limit(200);
  },
  async inIds(tx: Db, ids: string[]): Promise<IncidentRow[]> {
    return ids.length ? tx.select().from(incidents).where(inArray(incidents.id, ids)) : [];
  },
};
