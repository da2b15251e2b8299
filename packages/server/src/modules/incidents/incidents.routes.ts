import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ActionBody, AssignBody, CreateIncidentBody, IdParams, IncidentDashboard, IncidentAlerts, IncidentAlertsQuery, IncidentDashboardQuery, IncidentQuery, IncidentSettings, IncidentView, NoteBody, Ok, SuspectChange, TimelineEntry, UpdateIncidentBody, page } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import { incidentDashboard } from './dashboard.js';
import type { IncidentsModule } from './index.js';

const tags = ['incidents'];

export function incidentRoutes(app: FastifyInstance, platform: PlatformServices, m: IncidentsModule): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { service } = m;
  const userRef = async (id: string) => ({ id, name: (await platform.users.get(id)).username });

  r.get('/api/v1/incidents', {
    schema: { tags, summary: 'Incidents, newest first: filter by status (or open), priority, assignee, node; search title or number', querystring: IncidentQuery, response: { 200: page(IncidentView) } },
    config: { access: 'incident:read' },
  }, (req) => service.list(req.query));

  r.post('/api/v1/incidents', {
    schema: { tags, summary: 'Open an incident by hand: priority from impact × urgency; paged through the policy given or the routing rules\' pick', body: CreateIncidentBody, response: { 201: IncidentView } },
    config: { access: 'incident:write', audit: 'incident.create' },
  }, async (req, reply) => {
    const assignee = req.body.assigneeId ? await userRef(req.body.assigneeId) : null;
    const policy = req.body.escalationPolicyId ?? (await m.routeManual(req.body));
    return reply.code(201).send(await req.mutate((ctx) => service.create(ctx, req.body, policy, assignee)));
  });

  r.get('/api/v1/incidents/dashboard', {
    schema: { tags, summary: 'Open incidents by priority; MTTA, MTTR, SLA breaches, the noisiest alerts and nodes over 7 or 30 days', querystring: IncidentDashboardQuery, response: { 200: IncidentDashboard } },
    config: { access: 'incident:read' },
  }, (req) => incidentDashboard(platform.db, m.tree, platform.clock.now(), req.query.days));

  r.get('/api/v1/incidents/settings', {
    schema: { tags, summary: 'The priority matrix, SLA targets, storm threshold and grouping defaults', response: { 200: IncidentSettings } },
    config: { access: 'incident:read' },
  }, () => m.settings());

  r.put('/api/v1/incidents/settings', {
    schema: { tags, summary: 'Change the priority matrix, SLA targets, storm threshold and grouping defaults', body: IncidentSettings, response: { 200: IncidentSettings } },
    config: { access: 'incident:admin', audit: 'incident.settings.update' },
  }, (req) => req.mutate((ctx) => m.saveSettings(ctx, req.body)));

  r.get('/api/v1/incidents/:id', {
    schema: { tags, summary: 'An incident with its SLA countdown and escalation state', params: IdParams, response: { 200: IncidentView } },
    config: { access: 'incident:read' },
  }, (req) => service.get(req.params.id));

  r.patch('/api/v1/incidents/:id', {
    schema: { tags, summary: 'Change title, description, impact or urgency (the priority follows), or the postmortem', params: IdParams, body: UpdateIncidentBody, response: { 200: IncidentView } },
    config: { access: 'incident:write', audit: 'incident.update' },
  }, (req) => req.mutate((ctx) => service.update(ctx, req.params.id, req.body)));

  r.post('/api/v1/incidents/:id/ack', {
    schema: { tags, summary: 'Acknowledge: paging stops at once', params: IdParams, body: ActionBody.nullish(), response: { 200: IncidentView } },
    config: { access: 'incident:write', audit: 'incident.acknowledge' },
  }, (req) => req.mutate((ctx) => service.acknowledge(ctx, req.params.id, req.body?.comment)));

  r.post('/api/v1/incidents/:id/resolve', {
    schema: { tags, summary: 'Resolve', params: IdParams, body: ActionBody.nullish(), response: { 200: IncidentView } },
    config: { access: 'incident:write', audit: 'incident.resolve' },
  }, (req) => req.mutate((ctx) => service.resolve(ctx, req.params.id, req.body?.comment)));

  r.post('/api/v1/incidents/:id/assign', {
    schema: { tags, summary: 'Assign to a user', params: IdParams, body: AssignBody, response: { 200: IncidentView } },
    config: { access: 'incident:write', audit: 'incident.assign' },
  }, async (req) => {
    const user = await userRef(req.body.userId);
    return req.mutate((ctx) => service.assign(ctx, req.params.id, user));
  });

  r.post('/api/v1/incidents/:id/notes', {
    schema: { tags, summary: 'Add a note to the timeline', params: IdParams, body: NoteBody, response: { 201: Ok } },
    config: { access: 'incident:write', audit: 'incident.note' },
  }, async (req, reply) => {
    await req.mutate((ctx) => service.note(ctx, req.params.id, req.body.text));
    return reply.code(201).send({ ok: true as const });
  });

  r.get('/api/v1/incidents/:id/timeline', {
    schema: { tags, summary: 'Everything that happened to it: alerts, pages, actions, notes, SLA breaches', params: IdParams, response: { 200: z.object({ items: z.array(TimelineEntry) }) } },
    config: { access: 'incident:read' },
  }, async (req) => ({ items: await service.timeline(req.params.id) }));

  r.get('/api/v1/incidents/:id/changes', {
    schema: {
      tags, summary: 'Suspects: changes on its node and below in the hours before it opened, newest first', params: IdParams,
      querystring: z.strictObject({ hours: z.coerce.number().int().min(1).max(168).default(6) }), response: { 200: z.object({ items: z.array(SuspectChange) }) },
    },
    config: { access: 'incident:read' },
  }, async (req) => ({ items: await service.suspects(req.params.id, req.query.hours) }));

  r.get('/api/v1/incidents/:id/alerts', {
    schema: { tags, summary: 'Its alerts, newest first, firing or resolved, with the total it holds', params: IdParams, querystring: IncidentAlertsQuery, response: { 200: IncidentAlerts } },
    config: { access: 'incident:read' },
  }, (req) => service.alerts(req.params.id, req.query));
}
