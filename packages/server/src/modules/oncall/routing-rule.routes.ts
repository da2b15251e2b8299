import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok, ReorderRoutingRulesBody, RoutingRuleBody, RoutingRuleView, RoutingTestBody, RoutingTestResult, page } from '@opsline/contracts';
import type { Clock } from '../../platform/clock.js';
import type { RoutingRuleService } from './routing-rule.service.js';

const tags = ['oncall'];

export function routingRuleRoutes(app: FastifyInstance, rules: RoutingRuleService, clock: Clock): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/routing-rules', {
    schema: { tags, summary: 'Every routing rule, in the order they are tried', response: { 200: page(RoutingRuleView) } },
    config: { access: 'oncall:read' },
  }, () => rules.list());

  r.post('/api/v1/routing-rules', {
    schema: { tags, summary: 'Add a routing rule: alerts it matches page its escalation policy', body: RoutingRuleBody, response: { 201: RoutingRuleView } },
    config: { access: 'oncall:admin', audit: 'routing.rule.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => rules.create(ctx, req.body, req.caller().userId))));

  r.post('/api/v1/routing-rules/reorder', {
    schema: { tags, summary: 'Put the rules in a new order (name every rule once)', body: ReorderRoutingRulesBody, response: { 200: page(RoutingRuleView) } },
    config: { access: 'oncall:admin', audit: 'routing.rule.reorder' },
  }, (req) => req.mutate((ctx) => rules.reorder(ctx, req.body.ids)));

  r.post('/api/v1/routing-rules/test', {
    schema: { tags, summary: 'Dry run: which rules an alert with these labels, severity and node would match at `at`, in order, and why the others do not', body: RoutingTestBody, response: { 200: RoutingTestResult } },
    config: { access: 'oncall:read', audit: 'routing.rule.test' },
  }, async (req) => {
    const { labels, severity, nodeId, at } = req.body;
    const result = await rules.evaluate({ labels, severity, nodeId: nodeId ?? null }, at ? new Date(at) : clock.now());
    // Read first, then record the audit row alone (a read inside the open transaction would wait on it under PGlite).
    return req.mutate((ctx) => {
      Object.assign(ctx.audit, { targetType: 'routing_rule', after: { matched: result.matched.map((m) => m.id) } });
      return Promise.resolve(result);
    });
  });

  r.get('/api/v1/routing-rules/:id', {
    schema: { tags, summary: 'A routing rule', params: IdParams, response: { 200: RoutingRuleView } },
    config: { access: 'oncall:read' },
  }, (req) => rules.get(req.params.id));

  r.put('/api/v1/routing-rules/:id', {
    schema: { tags, summary: 'Replace a routing rule', params: IdParams, body: RoutingRuleBody, response: { 200: RoutingRuleView } },
    config: { access: 'oncall:admin', audit: 'routing.rule.update' },
  }, (req) => req.mutate((ctx) => rules.replace(ctx, req.params.id, req.body)));

  r.delete('/api/v1/routing-rules/:id', {
    schema: { tags, summary: 'Delete a routing rule', params: IdParams, response: { 200: Ok } },
    config: { access: 'oncall:admin', audit: 'routing.rule.delete' },
  }, async (req) => {
    await req.mutate((ctx) => rules.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}
