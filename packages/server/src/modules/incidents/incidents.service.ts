import { and, eq, sql } from 'drizzle-orm';
import { PRIORITIES, SEVERITY_TO_LEVELS, type CreateIncidentBody, type IncidentAlerts, type IncidentQuery, type IncidentSettings, type IncidentView, type Level, type Page, type Priority, type SuspectChange, type UpdateIncidentBody } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { incidentView, incidentsRepo, type IncidentRow } from './incidents.repo.js';
import { incidents } from './incidents.tables.js';

const SUSPECT_SKIP = ['incident.', 'alert.', 'notify.', 'user.', 'role.', 'grant.', 'team.', 'secret.'];

export const asPriority = (s: string): Priority => ((PRIORITIES as readonly string[]).includes(s) ? (s as Priority) : 'P3');

/** The fields of a new incident; the rest follows from the settings (priority, SLA). */
export interface NewIncident {
  title: string;
  description?: string | undefined;
  impact: Level;
  urgency: Level;
  source: 'alerts' | 'manual' | 'storm';
  nodeId: string | null;
  integrationId?: string | null;
  assignee?: { id: string; name: string } | null;
  escalationPolicyId: string | null;
  groupKey?: string | null;
  groupUntil?: Date | null;
  /** When the first level is paged (null: no paging). */
  firstPageAt: Date | null;
}

/** The incident lifecycle: open, acknowledge, resolve, assign, notes, and reads. */
export function createIncidentService(deps: { platform: PlatformServices; tree: TreeModule; onOpened: () => void }) {
  const { platform, tree } = deps;
  const { db, clock } = platform;

  async function byId(tx: Db, id: string): Promise<IncidentRow> {
    const r = await incidentsRepo.byId(tx, id);
    if (!r) throw new AppError('INCIDENT_NOT_FOUND');
    return r;
  }

  async function open(tx: Db, n: NewIncident, s: IncidentSettings, actor: string | null): Promise<IncidentRow | undefined> {
    const now = clock.now();
    const priority = s.matrix[n.impact][n.urgency];
    const sla = s.sla[priority];
    const row = {
      id: uuidv7(now.getTime()), title: n.title, description: n.description ?? '', status: 'triggered', impact: n.impact, urgency: n.urgency, priority, source: n.source,
      nodeId: n.nodeId, integrationId: n.integrationId ?? null, assigneeId: n.assignee?.id ?? null, assigneeName: n.assignee?.name ?? null, escalationPolicyId: n.escalationPolicyId,
      escNextAt: n.escalationPolicyId ? n.firstPageAt : null, groupKey: n.groupKey ?? null, groupUntil: n.groupUntil ?? null,
      ackDueAt: new Date(now.getTime() + sla.ackMinutes * 60_000), resolveDueAt: new Date(now.getTime() + sla.resolveMinutes * 60_000), createdAt: now, updatedAt: now,
    };
    // A concurrent opener of the same group wins; the caller then joins its incident.
    const [made] = await tx.insert(incidents).values(row).onConflictDoNothing().returning();
    if (!made) return undefined;
    await incidentsRepo.addTimeline(tx, made.id, now, 'opened', `Opened (${priority}: impact ${n.impact}, urgency ${n.urgency})${n.escalationPolicyId ? '' : ' — no escalation policy, nobody is paged'}`, actor, { priority });
    return made;
  }

  return {
    open,
    resolveIn,
    view: incidentView,
    byId,
    async list(q: IncidentQuery): Promise<Page<IncidentView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await incidentsRepo.list(db, q, after), q.limit, incidentView, (r) => r.id);
    },
    get: async (id: string) => incidentView(await byId(db, id)),
    timeline: async (id: string) => (await byId(db, id), incidentsRepo.timeline(db, id)),

    /** By hand: priority from impact × urgency; paged through the given policy, or the routing rules' pick. */
    async create(ctx: MutationContext, body: CreateIncidentBody, policyId: string | null, assignee: { id: string; name: string } | null): Promise<IncidentView> {
      const s = await incidentsRepo.settings(ctx.tx);
      const made = await open(ctx.tx, { ...body, source: 'manual', nodeId: body.nodeId ?? null, assignee, escalationPolicyId: policyId, firstPageAt: clock.now() }, s, ctx.actor.name);
      if (!made) throw new Error('a manual incident has no group to collide on');
      Object.assign(ctx.audit, { targetType: 'incident', targetId: made.id, after: incidentView(made) });
      await ctx.emit('incident.opened', { incidentId: made.id, number: made.number, title: made.title, priority: made.priority }, { summary: `incident #${made.number} ${made.title} opened (${made.priority})`, resourceType: 'incident', resourceId: made.id, nodeId: made.nodeId, severity: 'warning' });
      ctx.afterCommit(deps.onOpened);
      return incidentView(made);
    },

    async update(ctx: MutationContext, id: string, body: UpdateIncidentBody): Promise<IncidentView> {
      const before = await byId(ctx.tx, id);
      const impact = body.impact ?? (before.impact as Level);
      const urgency = body.urgency ?? (before.urgency as Level);
      const s = await incidentsRepo.settings(ctx.tx);
      const priority = s.matrix[impact][urgency];
      const set = { ...body, impact, urgency, priority, updatedAt: clock.now() };
      const [after] = await ctx.tx.update(incidents).set(set).where(eq(incidents.id, id)).returning();
      if (!after) throw new AppError('INCIDENT_NOT_FOUND');
      const changed = Object.keys(body).filter((k) => k !== 'postmortem' || body.postmortem);
      if (priority !== before.priority) await incidentsRepo.addTimeline(ctx.tx, id, clock.now(), 'changed', `Priority ${before.priority} → ${priority}`, ctx.actor.name, { from: before.priority, to: priority });
      else if (changed.length) await incidentsRepo.addTimeline(ctx.tx, id, clock.now(), 'changed', `Changed: ${changed.join(', ')}`, ctx.actor.name, { changed });
      Object.assign(ctx.audit, { targetType: 'incident', targetId: id, before: incidentView(before), after: incidentView(after) });
      return incidentView(after);
    },

    /** Stops paging at once. */
    async acknowledge(ctx: MutationContext, id: string, comment?: string): Promise<IncidentView> {
      const now = clock.now();
      const [after] = await ctx.tx.update(incidents).set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: ctx.actor.name, escNextAt: null, updatedAt: now })
        .where(and(eq(incidents.id, id), eq(incidents.status, 'triggered'))).returning();
      if (!after) throw new AppError('INCIDENT_STATE', `Only a triggered incident is acknowledged; this one is ${(await byId(ctx.tx, id)).status}`);
      await incidentsRepo.addTimeline(ctx.tx, id, now, 'acknowledged', comment ? `Acknowledged: ${comment}` : 'Acknowledged; paging stopped', ctx.actor.name);
      Object.assign(ctx.audit, { targetType: 'incident', targetId: id, after: { status: 'acknowledged', comment } });
      await ctx.emit('incident.acknowledged', { incidentId: id, number: after.number, title: after.title }, { summary: `incident #${after.number} acknowledged by ${ctx.actor.name}`, resourceType: 'incident', resourceId: id, nodeId: after.nodeId });
      return incidentView(after);
    },

    async resolve(ctx: MutationContext, id: string, comment?: string): Promise<IncidentView> {
      const after = await resolveIn(ctx.tx, id, ctx.actor.name, comment ? `Resolved: ${comment}` : 'Resolved');
      if (!after) throw new AppError('INCIDENT_STATE', 'The incident is resolved already');
      Object.assign(ctx.audit, { targetType: 'incident', targetId: id, after: { status: 'resolved', comment } });
      await ctx.emit('incident.resolved', { incidentId: id, number: after.number, title: after.title, by: ctx.actor.name }, { summary: `incident #${after.number} resolved by ${ctx.actor.name}`, resourceType: 'incident', resourceId: id, nodeId: after.nodeId });
      return incidentView(after);
    },

    async assign(ctx: MutationContext, id: string, user: { id: string; name: string }): Promise<IncidentView> {
      const before = await byId(ctx.tx, id);
      const [after] = await ctx.tx.update(incidents).set({ assigneeId: user.id, assigneeName: user.name, updatedAt: clock.now() }).where(eq(incidents.id, id)).returning();
      if (!after) throw new AppError('INCIDENT_NOT_FOUND');
      await incidentsRepo.addTimeline(ctx.tx, id, clock.now(), 'assigned', `Assigned to ${user.name}`, ctx.actor.name, { userId: user.id });
      Object.assign(ctx.audit, { targetType: 'incident', targetId: id, before: { assigneeId: before.assigneeId }, after: { assigneeId: user.id } });
      await ctx.emit('incident.assigned', { incidentId: id, number: after.number, title: after.title, assignee: user.name }, { summary: `incident #${after.number} assigned to ${user.name}`, resourceType: 'incident', resourceId: id, nodeId: after.nodeId });
      return incidentView(after);
    },

    async note(ctx: MutationContext, id: string, text: string): Promise<void> {
      await byId(ctx.tx, id);
      await incidentsRepo.addTimeline(ctx.tx, id, clock.now(), 'note', text, ctx.actor.name);
      Object.assign(ctx.audit, { targetType: 'incident', targetId: id, after: { note: text.slice(0, 200) } });
    },

    /** Changes on the incident's node and below it in the hours before it opened, newest first. */
    async alerts(id: string, q: { firing?: boolean | undefined; limit: number }): Promise<IncidentAlerts> {
      await byId(db, id);
      return incidentsRepo.alerts(db, id, q);
    },
    async suspects(id: string, hours: number): Promise<SuspectChange[]> {
      const inc = await byId(db, id);
      if (!inc.nodeId) return [];
      const nodes = await tree.subtreeIds([inc.nodeId]);
      const from = new Date(inc.createdAt.getTime() - hours * 3_600_000);
      const found = await platform.events.onNodes(nodes, from, inc.createdAt, SUSPECT_SKIP, 200);
      return found.map((e) => ({ eventId: e.id, at: e.at, type: e.type, summary: e.summary, actor: e.actorName, nodeId: e.nodeId }));
    },
  };

  /** Resolves an open incident (answers undefined when it was resolved already). */
  async function resolveIn(tx: Db, id: string, by: string, text: string): Promise<IncidentRow | undefined> {
    const now = clock.now();
    const [after] = await tx.update(incidents).set({ status: 'resolved', resolvedAt: now, resolvedBy: by, escNextAt: null, groupKey: null, updatedAt: now })
      .where(and(eq(incidents.id, id), sql`${incidents.status} <> 'resolved'`)).returning();
    if (after) await incidentsRepo.addTimeline(tx, id, now, 'resolved', text, by);
    return after;
  }
}

/** Impact and urgency for an alert severity (P0–P5); anything else counts as P3. */
export const levelsFor = (severity: string): { impact: Level; urgency: Level } => SEVERITY_TO_LEVELS[asPriority(severity)];

export type IncidentService = ReturnType<typeof createIncidentService>;
