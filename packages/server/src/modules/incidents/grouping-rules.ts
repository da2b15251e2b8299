import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GroupingRuleBody, GroupingRuleView, IdParams, Ok } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { groupingRules } from './incidents.tables.js';

type Row = typeof groupingRules.$inferSelect;
const view = (r: Row): GroupingRuleView => ({ id: r.id, name: r.name, match: r.match, groupBy: r.groupBy, windowMinutes: r.windowMinutes, order: r.order, enabled: r.enabled, createdAt: r.createdAt.toISOString() });

function checkRegexes(body: GroupingRuleBody): void {
  body.match.forEach((m, i) => {
    if (!m.isRegex) return;
    try {
      new RegExp(m.value);
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', `body.match.${i}.value: not a regular expression`, { issues: [{ field: `body.match.${i}.value`, message: err instanceof Error ? err.message : 'not a regular expression' }] });
    }
  });
}

async function byId(tx: Db, id: string): Promise<Row> {
  const [r] = await tx.select().from(groupingRules).where(eq(groupingRules.id, id)).limit(1);
  if (!r) throw new AppError('GROUPING_RULE_NOT_FOUND');
  return r;
}

/** Grouping rules: which alerts become one incident (first matching rule by order; else the settings' defaults). */
export function groupingRuleRoutes(app: FastifyInstance, platform: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidents'];
  const save = async (ctx: MutationContext, id: string | null, body: GroupingRuleBody): Promise<GroupingRuleView> => {
    checkRegexes(body);
    const before = id ? await byId(ctx.tx, id) : null;
    const row: Row = { id: id ?? uuidv7(platform.clock.now().getTime()), ...body, createdAt: before?.createdAt ?? platform.clock.now() };
    await ctx.tx.insert(groupingRules).values(row).onConflictDoUpdate({ target: groupingRules.id, set: row });
    Object.assign(ctx.audit, { targetType: 'grouping_rule', targetId: row.id, before: before && view(before), after: view(row) });
    return view(row);
  };

  r.get('/api/v1/grouping-rules', {
    schema: { tags, summary: 'Grouping rules, in the order they are tried', response: { 200: z.object({ items: z.array(GroupingRuleView) }) } },
    config: { access: 'incident:read' },
  }, async () => ({ items: (await platform.db.select().from(groupingRules).orderBy(asc(groupingRules.order), asc(groupingRules.id))).map(view) }));

  r.post('/api/v1/grouping-rules', {
    schema: { tags, summary: 'Add a grouping rule: alerts matching it become one incident per value of its labels within the window', body: GroupingRuleBody, response: { 201: GroupingRuleView } },
    config: { access: 'incident:admin', audit: 'incident.grouping_rule.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => save(ctx, null, req.body))));

  r.put('/api/v1/grouping-rules/:id', {
    schema: { tags, summary: 'Replace a grouping rule', params: IdParams, body: GroupingRuleBody, response: { 200: GroupingRuleView } },
    config: { access: 'incident:admin', audit: 'incident.grouping_rule.update' },
  }, (req) => req.mutate((ctx) => save(ctx, req.params.id, req.body)));

  r.delete('/api/v1/grouping-rules/:id', {
    schema: { tags, summary: 'Delete a grouping rule', params: IdParams, response: { 200: Ok } },
    config: { access: 'incident:admin', audit: 'incident.grouping_rule.delete' },
  }, async (req) => {
    await req.mutate(async (ctx) => {
      const before = await byId(ctx.tx, req.params.id);
      await ctx.tx.delete(groupingRules).where(eq(groupingRules.id, req.params.id));
      Object.assign(ctx.audit, { targetType: 'grouping_rule', targetId: before.id, before: view(before) });
    });
    return { ok: true as const };
  });
}
