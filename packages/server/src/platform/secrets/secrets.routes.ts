import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateSecretBody, IdParams, Ok, SecretListQuery, SecretView, UpdateSecretBody, page } from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

export function secretRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['secrets'];

  r.get('/api/v1/secrets', {
    schema: { tags, summary: 'List stored credentials (names only, never values)', querystring: SecretListQuery, response: { 200: page(SecretView) } },
    config: { access: 'secret:read' },
  }, (req) => s.secrets.list(req.query));

  r.post('/api/v1/secrets', {
    schema: { tags, summary: 'Store a credential; the value is write-only', body: CreateSecretBody, response: { 201: SecretView } },
    config: { access: 'secret:write', audit: 'secret.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => s.secrets.create(ctx, req.body))));

  r.patch('/api/v1/secrets/:id', {
    schema: { tags, summary: 'Replace a credential\'s value or description', params: IdParams, body: UpdateSecretBody, response: { 200: SecretView } },
    config: { access: 'secret:write', audit: 'secret.update' },
  }, (req) => req.mutate((ctx) => s.secrets.update(ctx, req.params.id, req.body)));

  r.delete('/api/v1/secrets/:id', {
    schema: { tags, summary: 'Delete a credential', params: IdParams, response: { 200: Ok } },
    config: { access: 'secret:write', audit: 'secret.delete' },
  }, async (req) => {
    await req.mutate((ctx) => s.secrets.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
