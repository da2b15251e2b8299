import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { GuardCheckBody, GuardRuleBody, GuardRuleView, GuardVerdict, IdParams, Ok, PageQuery, UpdateGuardRuleBody, page } from '@opsline/contracts';
import type { GuardRuleService } from './guard-rule.service.js';

const tags = ['scripts'];

export function guardRuleRoutes(app: FastifyInstance, rules: GuardRuleService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The rules are the same for everyone: whoever reads scripts anywhere may see them and try a script against them.
  r.get('/api/v1/guard-rules', {
    schema: { tags, summary: 'Dangerous-command rules, built-in ones first', querystring: PageQuery, response: { 200: page(GuardRuleView) } },
    config: { access: 'script:read', filtered: true },
  }, (req) => rules.list(req.query));

  r.post('/api/v1/guard-rules/check', {
    schema: { tags, summary: 'What the enabled rules say of a script: allow, approve or block, with each matching line', body: GuardCheckBody, response: { 200: GuardVerdict } },
    config: { access: 'script:read', filtered: true, audit: 'guard.check' },
  }, async (req) => {
    const verdict = await rules.check(req.body.content);
    return req.mutate((ctx) => {
      Object.assign(ctx.audit, { targetType: 'guard_rule', after: { action: verdict.action, rules: [...new Set(verdict.matches.map((m) => m.name))] } });
      return Promise.resolve(verdict);
    });
  });

  r.post('/api/v1/guard-rules', {
    schema: { tags, summary: 'Add a rule: a JavaScript regular expression tried on each line, and whether a match blocks or needs approval', body: GuardRuleBody, response: { 201: GuardRuleView } },
    config: { access: 'guard:admin', audit: 'guard.rule.create' },
  }, async (req, reply) => {
    rules.assertFast(req.body.pattern);
    return reply.code(201).send(await req.mutate((ctx) => rules.create(ctx, req.body)));
  });

  r.patch('/api/v1/guard-rules/:id', {
    schema: { tags, summary: 'Change a rule; a built-in one can only be enabled or disabled', params: IdParams, body: UpdateGuardRuleBody, response: { 200: GuardRuleView } },
    config: { access: 'guard:admin', audit: 'guard.rule.update' },
  }, (req) => {
    rules.assertFast(req.body.pattern);
    return req.mutate((ctx) => rules.update(ctx, req.params.id, req.body));
  });

  r.delete('/api/v1/guard-rules/:id', {
    schema: { tags, summary: 'Delete a rule (built-in ones cannot be deleted: disable them)', params: IdParams, response: { 200: Ok } },
    config: { access: 'guard:admin', audit: 'guard.rule.delete' },
  }, async (req) => {
    await req.mutate((ctx) => rules.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
