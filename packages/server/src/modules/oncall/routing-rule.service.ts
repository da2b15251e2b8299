import { eq } from 'drizzle-orm';
import type { Page, RoutingRuleBody, RoutingRuleView, RoutingTestResult } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { oncallRepo, type RuleRow } from './oncall.repo.js';
import { oncallRoutingRules } from './oncall.tables.js';
import { mismatch, type RoutedAlert } from './routing-match.js';

const view = (r: RuleRow): RoutingRuleView => ({
  id: r.id, name: r.name, order: r.order, enabled: r.enabled, match: r.match, escalationPolicyId: r.escalationPolicyId, continue: r.continue,
  selfHeal: r.selfHeal ?? null, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

async function requireRule(db: Db, id: string): Promise<RuleRow> {
  const row = await oncallRepo.rule(db, id);
  if (!row) throw new AppError('ROUTING_RULE_NOT_FOUND');
  return row;
}

const invalid = (field: string, message: string): AppError => new AppError('VALIDATION_FAILED', `${field}: ${message}`, { issues: [{ field, message }] });

/**
 * Routing rules (分派规则): tried in order; an alert goes to the escalation
 * policy of each rule it matches, stopping after the first without `continue`.
 */
export function createRoutingRuleService(deps: { platform: PlatformServices; tree: TreeModule }) {
  const { platform, tree } = deps;
  const { db, clock } = platform;

  /** The policy and the node exist (404 naming the field). */
  async function fields(ctx: MutationContext, body: RoutingRuleBody, order: number) {
    if (!(await oncallRepo.policy(ctx.tx, body.escalationPolicyId))) {
      throw new AppError('ESCALATION_POLICY_NOT_FOUND', `body.escalationPolicyId: no such escalation policy ${body.escalationPolicyId}`, { issues: [{ field: 'body.escalationPolicyId', message: 'unknown escalation policy' }] });
    }
    const nodeId = body.match.nodeId ?? null;
    if (nodeId && !(await tree.nodeInfo(nodeId, ctx.tx))) {
      throw new AppError('TREE_NODE_NOT_FOUND', `body.match.nodeId: no such tree node ${nodeId}`, { issues: [{ field: 'body.match.nodeId', message: 'unknown tree node' }] });
    }
    return {
      name: body.name, order, enabled: body.enabled, match: { ...body.match, nodeId }, escalationPolicyId: body.escalationPolicyId, continue: body.continue, selfHeal: body.selfHeal ?? null,
    };
  }

  /** Every rule in order, whether it routes the alert and why not. */
  async function evaluate(alert: RoutedAlert, at: Date): Promise<RoutingTestResult> {
    const rules = await oncallRepo.rules(db);
    const ancestry = alert.nodeId ? await tree.ancestry(alert.nodeId) : [];
    const matched: RuleRow[] = [];
    let stopped: RuleRow | undefined;
    const checked = rules.map((r) => {
      const reason = !r.enabled ? 'disabled' : stopped ? `matching stopped at ${stopped.name}` : mismatch(r.match, alert, ancestry, at);
      if (reason === null) {
        matched.push(r);
        if (!r.continue) stopped = r;
      }
      return { ruleId: r.id, name: r.name, order: r.order, matched: reason === null, reason };
    });
    return { matched: matched.map(view), checked };
  }

  return {
    evaluate,
    route: async (alert: RoutedAlert, at: Date): Promise<RoutingRuleView[]> => (await evaluate(alert, at)).matched,
    list: async (): Promise<Page<RoutingRuleView>> => ({ items: (await oncallRepo.rules(db)).map(view), nextCursor: null }),
    get: async (id: string): Promise<RoutingRuleView> => view(await requireRule(db, id)),

    async create(ctx: MutationContext, body: RoutingRuleBody, userId: string): Promise<RoutingRuleView> {
      const now = clock.now();
      const row: RuleRow = { id: uuidv7(now.getTime()), ...(await fields(ctx, body, body.order ?? (await oncallRepo.nextOrder(ctx.tx)))), createdBy: userId, createdAt: now, updatedAt: now };
      await ctx.tx.insert(oncallRoutingRules).values(row);
      Object.assign(ctx.audit, { targetType: 'routing_rule', targetId: row.id, after: view(row) });
      await ctx.emit('routing.rule.created', { ruleId: row.id, name: row.name }, { summary: `routing rule ${row.name} created`, resourceType: 'routing_rule', resourceId: row.id });
      return view(row);
    },

    async replace(ctx: MutationContext, id: string, body: RoutingRuleBody): Promise<RoutingRuleView> {
      const before = await requireRule(ctx.tx, id);
      const after: RuleRow = { ...before, ...(await fields(ctx, body, body.order ?? before.order)), updatedAt: clock.now() };
      await ctx.tx.update(oncallRoutingRules).set(after).where(eq(oncallRoutingRules.id, id));
      const changed = (Object.keys(body) as (keyof RoutingRuleBody)[]).filter((k) => JSON.stringify(view(before)[k]) !== JSON.stringify(view(after)[k]));
      Object.assign(ctx.audit, { targetType: 'routing_rule', targetId: id, before: view(before), after: view(after) });
      await ctx.emit('routing.rule.updated', { ruleId: id, name: after.name, changed }, { summary: `routing rule ${after.name} changed`, resourceType: 'routing_rule', resourceId: id });
      return view(after);
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      const before = await requireRule(ctx.tx, id);
      await ctx.tx.delete(oncallRoutingRules).where(eq(oncallRoutingRules.id, id));
      Object.assign(ctx.audit, { targetType: 'routing_rule', targetId: id, before: view(before) });
      await ctx.emit('routing.rule.deleted', { ruleId: id, name: before.name }, { summary: `routing rule ${before.name} deleted`, resourceType: 'routing_rule', resourceId: id });
    },

    /** `ids` names every rule once, in the new order; each is numbered 0, 1, 2 … */
    async reorder(ctx: MutationContext, ids: string[]): Promise<Page<RoutingRuleView>> {
      const rules = await oncallRepo.rules(ctx.tx);
      const known = new Set(rules.map((r) => r.id));
      const unknown = ids.filter((id) => !known.has(id));
      const missing = rules.filter((r) => !ids.includes(r.id));
      if (unknown.length) throw new AppError('ROUTING_RULE_NOT_FOUND', `body.ids: no such routing rule ${unknown.join(', ')}`, { issues: [{ field: 'body.ids', message: `unknown ${unknown.join(', ')}` }] });
      if (missing.length || new Set(ids).size !== ids.length) throw invalid('body.ids', `name every rule exactly once${missing.length ? ` (missing: ${missing.map((r) => r.name).join(', ')})` : ''}`);
      const now = clock.now();
      const byId = new Map(rules.map((r) => [r.id, r]));
      const after: RuleRow[] = [];
      for (const [order, id] of ids.entries()) {
        const rule = byId.get(id);
        if (!rule) continue;
        if (rule.order === order) {
          after.push(rule);
          continue;
        }
        after.push({ ...rule, order, updatedAt: now });
        await ctx.tx.update(oncallRoutingRules).set({ order, updatedAt: now }).where(eq(oncallRoutingRules.id, id));
        await ctx.emit('routing.rule.updated', { ruleId: id, name: rule.name, changed: ['order'] }, { summary: `routing rule ${rule.name} moved to ${order + 1}`, resourceType: 'routing_rule', resourceId: id });
      }
      Object.assign(ctx.audit, { targetType: 'routing_rule', before: rules.map((r) => r.id), after: ids });
      return { items: after.map(view), nextCursor: null };
    },
  };
}

export type RoutingRuleService = ReturnType<typeof createRoutingRuleService>;
