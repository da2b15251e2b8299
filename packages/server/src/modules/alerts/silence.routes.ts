import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok, SilenceBody, SilenceQuery, SilenceView, page } from '@opsline/contracts';
import type { SilenceService } from './silence.service.js';

const tags = ['alerts'];

export function silenceRoutes(app: FastifyInstance, silences: SilenceService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/silences', {
    schema: { tags, summary: 'Silences, newest first; filter by state', querystring: SilenceQuery, response: { 200: page(SilenceView) } },
    config: { access: 'alert:read' },
  }, (req) => silences.list(req.query));

  r.post('/api/v1/silences', {
    schema: { tags, summary: 'Silence alerts whose labels match, for a time (optionally only in a weekly window): they are stored, nobody is paged', body: SilenceBody, response: { 201: SilenceView } },
    config: { access: 'alert:write', audit: 'silence.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => silences.create(ctx, req.body))));

  r.get('/api/v1/silences/:id', {
    schema: { tags, summary: 'A silence', params: IdParams, response: { 200: SilenceView } },
    config: { access: 'alert:read' },
  }, (req) => silences.get(req.params.id));

  r.put('/api/v1/silences/:id', {
    schema: { tags, summary: 'Replace a silence', params: IdParams, body: SilenceBody, response: { 200: SilenceView } },
    config: { access: 'alert:write', audit: 'silence.update' },
  }, (req) => req.mutate((ctx) => silences.replace(ctx, req.params.id, req.body)));

  r.post('/api/v1/silences/:id/expire', {
    schema: { tags, summary: 'End a silence now (by the server\'s clock); matching alerts page again from here on', params: IdParams, response: { 200: SilenceView } },
    config: { access: 'alert:write', audit: 'silence.expire' },
  }, (req) => req.mutate((ctx) => silences.expire(ctx, req.params.id)));

  r.delete('/api/v1/silences/:id', {
    schema: { tags, summary: 'Delete a silence', params: IdParams, response: { 200: Ok } },
    config: { access: 'alert:write', audit: 'silence.delete' },
  }, async (req) => {
    await req.mutate((ctx) => silences.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
