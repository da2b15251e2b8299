import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, JobAlertBody, JobAlertView, Ok, PageQuery, page } from '@opsline/contracts';
import type { JobAlertService } from './alerts.service.js';

const tags = ['jobs'];

export function jobAlertRoutes(app: FastifyInstance, alerts: JobAlertService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/job-alerts', {
    schema: { tags, summary: 'Job alerts: which run outcomes (or long runs) notify which channels', querystring: PageQuery, response: { 200: page(JobAlertView) } },
    config: { access: 'job:read' },
  }, (req) => alerts.list(req.query));

  r.post('/api/v1/job-alerts', {
    schema: { tags, summary: 'Notify channels when runs (of a template, or all) fail, end partial or killed, or run too long', body: JobAlertBody, response: { 201: JobAlertView } },
    config: { access: 'notify:admin', audit: 'job.alert.create' },
  }, async (req, reply) => {
    await alerts.prepare(req.body);
    return reply.code(201).send(await req.mutate((ctx) => alerts.create(ctx, req.body, req.caller().userId)));
  });

  r.get('/api/v1/job-alerts/:id', {
    schema: { tags, summary: 'A job alert', params: IdParams, response: { 200: JobAlertView } },
    config: { access: 'job:read' },
  }, (req) => alerts.get(req.params.id));

  r.put('/api/v1/job-alerts/:id', {
    schema: { tags, summary: 'Replace a job alert', params: IdParams, body: JobAlertBody, response: { 200: JobAlertView } },
    config: { access: 'notify:admin', audit: 'job.alert.update' },
  }, async (req) => {
    await alerts.prepare(req.body);
    return req.mutate((ctx) => alerts.replace(ctx, req.params.id, req.body));
  });

  r.delete('/api/v1/job-alerts/:id', {
    schema: { tags, summary: 'Delete a job alert', params: IdParams, response: { 200: Ok } },
    config: { access: 'notify:admin', audit: 'job.alert.delete' },
  }, async (req) => {
    await req.mutate((ctx) => alerts.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
