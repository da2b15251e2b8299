import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreateIntegrationBody, IdParams, IntegrationQuery, IntegrationView, IntegrationWithKey, Ok, PageQuery, RejectedPayloadView, UpdateIntegrationBody, page,
} from '@opsline/contracts';
import type { IntegrationService } from './integration.service.js';

const tags = ['alerts'];

export function integrationRoutes(app: FastifyInstance, integrations: IntegrationService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/integrations', {
    schema: { tags, summary: 'Alert integrations (Alertmanager, Zabbix, generic webhooks), newest first', querystring: IntegrationQuery, response: { 200: page(IntegrationView) } },
    config: { access: 'alert:read' },
  }, (req) => integrations.list(req.query));

  r.post('/api/v1/integrations', {
    schema: { tags, summary: 'Add an integration: its key is answered this once', body: CreateIntegrationBody, response: { 201: IntegrationWithKey } },
    config: { access: 'integration:admin', audit: 'integration.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => integrations.create(ctx, req.body))));

  r.get('/api/v1/integrations/:id', {
    schema: { tags, summary: 'An integration (never its key)', params: IdParams, response: { 200: IntegrationView } },
    config: { access: 'alert:read' },
  }, (req) => integrations.get(req.params.id));

  r.put('/api/v1/integrations/:id', {
    schema: { tags, summary: 'Change an integration; fields left out keep their value', params: IdParams, body: UpdateIntegrationBody, response: { 200: IntegrationView } },
    config: { access: 'integration:admin', audit: 'integration.update' },
  }, (req) => req.mutate((ctx) => integrations.update(ctx, req.params.id, req.body)));

  r.delete('/api/v1/integrations/:id', {
    schema: { tags, summary: 'Delete an integration (its alerts stay)', params: IdParams, response: { 200: Ok } },
    config: { access: 'integration:admin', audit: 'integration.delete' },
  }, async (req) => {
    await req.mutate((ctx) => integrations.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.post('/api/v1/integrations/:id/rotate-key', {
    schema: { tags, summary: 'A new key, answered this once; the old one stops working', params: IdParams, response: { 200: IntegrationWithKey } },
    config: { access: 'integration:admin', audit: 'integration.rotate_key' },
  }, (req) => req.mutate((ctx) => integrations.rotateKey(ctx, req.params.id)));

  r.get('/api/v1/integrations/:id/rejected', {
    schema: { tags, summary: 'Payloads the integration\'s URL refused, newest first, with why (the newest 1,000 are kept)', params: IdParams, querystring: PageQuery, response: { 200: page(RejectedPayloadView) } },
    config: { access: 'integration:admin' },
  }, (req) => integrations.rejected(req.params.id, req.query));
}
