import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AgentListQuery, AgentView, CreateEnrollmentTokenBody, CreatedEnrollmentToken, EnrollmentTokenView, IdParams, Ok, PageQuery, page,
} from '@opsline/contracts';
import type { AgentService } from './agent.service.js';

const tags = ['agents'];

export function agentRoutes(app: FastifyInstance, agents: AgentService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/agents/enrollment-tokens', {
    schema: { tags, summary: 'Enrollment tokens, newest first (never the tokens themselves)', querystring: PageQuery, response: { 200: page(EnrollmentTokenView) } },
    config: { access: 'agent:read' },
  }, (req) => agents.listTokens(req.query));

  r.post('/api/v1/agents/enrollment-tokens', {
    schema: { tags, summary: 'Create an enrollment token; the answer is the only time it is shown', body: CreateEnrollmentTokenBody, response: { 201: CreatedEnrollmentToken } },
    config: { access: 'agent:admin', audit: 'agent.enrollment_token.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => agents.createToken(ctx, req.body, req.caller().userId))));

  r.delete('/api/v1/agents/enrollment-tokens/:id', {
    schema: { tags, summary: 'Delete an enrollment token (agents enrolled with it keep working)', params: IdParams, response: { 200: Ok } },
    config: { access: 'agent:admin', audit: 'agent.enrollment_token.delete' },
  }, async (req) => {
    await req.mutate((ctx) => agents.deleteToken(ctx, req.params.id));
    return { ok: true as const };
  });

  r.get('/api/v1/agents', {
    schema: { tags, summary: 'Agents by hostname, each online, offline or revoked', querystring: AgentListQuery, response: { 200: page(AgentView) } },
    config: { access: 'agent:read' },
  }, (req) => agents.list(req.query));

  r.get('/api/v1/agents/:id', {
    schema: { tags, summary: 'One agent with its latest figures', params: IdParams, response: { 200: AgentView } },
    config: { access: 'agent:read' },
  }, (req) => agents.get(req.params.id));

  r.post('/api/v1/agents/:id/revoke', {
    schema: { tags, summary: 'Revoke an agent: it is disconnected and refused from now on', params: IdParams, response: { 200: AgentView } },
    config: { access: 'agent:admin', audit: 'agent.revoke' },
  }, (req) => req.mutate((ctx) => agents.revoke(ctx, req.params.id)));
}
