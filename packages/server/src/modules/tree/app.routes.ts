import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppListQuery, AppView, CreateAppBody, IdParams, Ok, UpdateAppBody, page } from '@opsline/contracts';
import type { AppService } from './app.service.js';

const tags = ['cmdb'];

export function appRoutes(app: FastifyInstance, apps: AppService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/apps', {
    schema: { tags, summary: 'Apps you may see, by name; nodeId (with descendants=true: its subtree), q on the name, runtime', querystring: AppListQuery, response: { 200: page(AppView) } },
    config: { access: 'app:read', filtered: true },
  }, (req) => apps.list(req.query, req.caller().userId));

  r.post('/api/v1/apps', {
    schema: { tags, summary: 'Add an app on a node', body: CreateAppBody, response: { 201: AppView } },
    config: { access: 'app:write', scope: { from: 'body', key: 'nodeId' }, audit: 'app.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => apps.create(ctx, req.body, req.caller().userId))));

  r.get('/api/v1/apps/:id', {
    schema: { tags, summary: 'One app', params: IdParams, response: { 200: AppView } },
    config: { access: 'app:read', filtered: true },
  }, (req) => apps.get(req.params.id, req.caller().userId));

  r.patch('/api/v1/apps/:id', {
    schema: { tags, summary: 'Change an app (nodeId moves it)', params: IdParams, body: UpdateAppBody, response: { 200: AppView } },
    config: { access: 'app:write', filtered: true, audit: 'app.update' },
  }, (req) => req.mutate((ctx) => apps.update(ctx, req.params.id, req.body, req.caller().userId)));

  r.delete('/api/v1/apps/:id', {
    schema: { tags, summary: 'Delete an app', params: IdParams, response: { 200: Ok } },
    config: { access: 'app:write', filtered: true, audit: 'app.delete' },
  }, async (req) => {
    await req.mutate((ctx) => apps.remove(ctx, req.params.id, req.caller().userId));
    return { ok: true as const };
  });
}
