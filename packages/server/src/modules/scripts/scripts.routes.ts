import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreateScriptBody, IdParams, Ok, PageQuery, ScriptListQuery, ScriptVersionParams, ScriptVersionView, ScriptView, UpdateScriptBody, page,
} from '@opsline/contracts';
import type { ScriptService } from './scripts.service.js';

const tags = ['scripts'];

export function scriptRoutes(app: FastifyInstance, scripts: ScriptService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/scripts', {
    schema: {
      tags, summary: 'Scripts you may see, by name: on nodes where you hold script:read, and global ones with a global grant; q on name and description',
      querystring: ScriptListQuery, response: { 200: page(ScriptView) },
    },
    config: { access: 'script:read', filtered: true },
  }, (req) => scripts.list(req.query, req.caller().userId));

  r.post('/api/v1/scripts', {
    schema: { tags, summary: 'Add a script (version 1) on a node, or a global one without nodeId (needs a global grant)', body: CreateScriptBody, response: { 201: ScriptView } },
    config: { access: 'script:write', scope: { from: 'body', key: 'nodeId' }, audit: 'script.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => scripts.create(ctx, req.body))));

  r.get('/api/v1/scripts/:id', {
    schema: { tags, summary: 'One script with its latest version', params: IdParams, response: { 200: ScriptView } },
    config: { access: 'script:read', filtered: true },
  }, (req) => scripts.get(req.params.id, req.caller().userId));

  r.patch('/api/v1/scripts/:id', {
    schema: {
      tags, summary: 'Change a script: content, params or language make a new version (with message); name, node and description change in place',
      params: IdParams, body: UpdateScriptBody, response: { 200: ScriptView },
    },
    config: { access: 'script:write', filtered: true, audit: 'script.update' },
  }, async (req) => {
    const node = await scripts.authorizeChange(req.params.id, req.caller().userId, req.body.nodeId);
    return req.mutate((ctx) => scripts.update(ctx, req.params.id, req.body, node));
  });

  r.delete('/api/v1/scripts/:id', {
    schema: { tags, summary: 'Delete a script and its versions', params: IdParams, response: { 200: Ok } },
    config: { access: 'script:write', filtered: true, audit: 'script.delete' },
  }, async (req) => {
    const node = await scripts.authorizeChange(req.params.id, req.caller().userId);
    await req.mutate((ctx) => scripts.remove(ctx, req.params.id, node));
    return { ok: true as const };
  });

  r.get('/api/v1/scripts/:id/versions', {
    schema: { tags, summary: 'A script\'s versions, newest first', params: IdParams, querystring: PageQuery, response: { 200: page(ScriptVersionView) } },
    config: { access: 'script:read', filtered: true },
  }, (req) => scripts.versions(req.params.id, req.query, req.caller().userId));

  r.get('/api/v1/scripts/:id/versions/:version', {
    schema: { tags, summary: 'One version of a script', params: ScriptVersionParams, response: { 200: ScriptVersionView } },
    config: { access: 'script:read', filtered: true },
  }, (req) => scripts.version(req.params.id, req.params.version, req.caller().userId));
}
