import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EscalationPolicyBody, EscalationPolicyView, IdParams, Ok, PageQuery, page } from '@opsline/contracts';
import type { EscalationPolicyService } from './escalation-policy.service.js';

const tags = ['oncall'];

export function escalationPolicyRoutes(app: FastifyInstance, policies: EscalationPolicyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/escalation-policies', {
    schema: { tags, summary: 'Escalation policies, newest first', querystring: PageQuery, response: { 200: page(EscalationPolicyView) } },
    config: { access: 'oncall:read' },
  }, (req) => policies.list(req.query));

  r.post('/api/v1/escalation-policies', {
    schema: { tags, summary: 'Create an escalation policy: levels of users, teams, schedules and channels paged in turn', body: EscalationPolicyBody, response: { 201: EscalationPolicyView } },
    config: { access: 'oncall:admin', audit: 'escalation.policy.create' },
  }, async (req, reply) => {
    await policies.check(req.body);
    return reply.code(201).send(await req.mutate((ctx) => policies.create(ctx, req.body, req.caller().userId)));
  });

  r.get('/api/v1/escalation-policies/:id', {
    schema: { tags, summary: 'An escalation policy', params: IdParams, response: { 200: EscalationPolicyView } },
    config: { access: 'oncall:read' },
  }, (req) => policies.get(req.params.id));

  r.put('/api/v1/escalation-policies/:id', {
    schema: { tags, summary: 'Replace an escalation policy', params: IdParams, body: EscalationPolicyBody, response: { 200: EscalationPolicyView } },
    config: { access: 'oncall:admin', audit: 'escalation.policy.update' },
  }, async (req) => {
    await policies.check(req.body);
    return req.mutate((ctx) => policies.replace(ctx, req.params.id, req.body));
  });

  r.delete('/api/v1/escalation-policies/:id', {
    schema: { tags, summary: 'Delete an escalation policy (refused while routing rules use it)', params: IdParams, response: { 200: Ok } },
    config: { access: 'oncall:admin', audit: 'escalation.policy.delete' },
  }, async (req) => {
    await req.mutate((ctx) => policies.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
