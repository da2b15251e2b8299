import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, InhibitRuleBody, InhibitRuleView, Ok } from '@opsline/contracts';
import type { InhibitService } from './inhibit.service.js';

const tags = ['alerts'];

export function inhibitRoutes(app: FastifyInstance, inhibits: InhibitService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/inhibit-rules', {
    schema: { tags, summary: 'Inhibition rules (and dependencies): while a source alert fires, target alerts on its host or node page nobody', response: { 200: z.object({ items: z.array(InhibitRuleView) }) } },
    config: { access: 'alert:read' },
  }, async () => ({ items: await inhibits.list() }));

  r.post('/api/v1/inhibit-rules', {
    schema: { tags, summary: 'Add an inhibition rule: source and target label matchers, scope host or node, labels that must be equal', body: InhibitRuleBody, response: { 201: InhibitRuleView } },
    config: { access: 'alert:write', audit: 'inhibit.rule.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => inhibits.create(ctx, req.body))));

  r.get('/api/v1/inhibit-rules/:id', {
    schema: { tags, summary: 'An inhibition rule', params: IdParams, response: { 200: InhibitRuleView } },
    config: { access: 'alert:read' },
  }, (req) => inhibits.get(req.params.id));

  r.put('/api/v1/inhibit-rules/:id', {
    schema: { tags, summary: 'Replace an inhibition rule', params: IdParams, body: InhibitRuleBody, response: { 200: InhibitRuleView } },
    config: { access: 'alert:write', audit: 'inhibit.rule.update' },
  }, (req) => req.mutate((ctx) => inhibits.replace(ctx, req.params.id, req.body)));

  r.delete('/api/v1/inhibit-rules/:id', {
    schema: { tags, summary: 'Delete an inhibition rule', params: IdParams, response: { 200: Ok } },
    config: { access: 'alert:write', audit: 'inhibit.rule.delete' },
  }, async (req) => {
    await req.mutate((ctx) => inhibits.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
