import type { GuardAction, GuardRuleBody, GuardRuleView, GuardVerdict, Page, PageQuery, UpdateGuardRuleBody } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { BUILTIN_GUARD_RULES, createCommandGuard } from './command-guard.js';
import { guardRuleRepo, type GuardRuleRow } from './guard-rule.repo.js';

const view = (r: GuardRuleRow): GuardRuleView => ({
  id: r.id, name: r.name, pattern: r.pattern, action: r.action as GuardAction, enabled: r.enabled, description: r.description,
  builtin: r.builtin, createdAt: r.createdAt.toISOString(),
});

/** The dangerous-command guard's rules, and what they say of a script. */
export function createGuardRuleService(deps: { platform: Pick<PlatformServices, 'db' | 'clock'> }) {
  const { db, clock } = deps.platform;
  const guard = createCommandGuard();

  async function requireRule(tx: Db, id: string): Promise<GuardRuleRow> {
    const row = await guardRuleRepo.byId(tx, id);
    if (!row) throw new AppError('GUARD_RULE_NOT_FOUND');
    return row;
  }

  return {
    /** Seeds or refreshes the built-in rules; safe to run on every start of every server. */
    async seed(): Promise<void> {
      const now = clock.now();
      await guardRuleRepo.upsertBuiltins(db, BUILTIN_GUARD_RULES.map((r) => ({ ...r, enabled: true, builtin: true, createdAt: now })));
    },

    /**
     * A pattern that backtracks for too long is refused, naming the field.
     * CPU-bound for up to a few seconds: call it before the change's transaction.
     */
    assertFast(pattern: string | undefined): void {
      const slow = pattern === undefined ? null : guard.tooSlow(pattern);
      if (slow) throw new AppError('VALIDATION_FAILED', `body.pattern: ${slow}`, { issues: [{ field: 'body.pattern', message: slow }] });
    },

    async list(q: PageQuery): Promise<Page<GuardRuleView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await guardRuleRepo.list(db, after, q.limit + 1), q.limit, view, (r) => r.id);
    },

    /** What the enabled rules say of a script's content. */
    async check(content: string): Promise<GuardVerdict> {
      const rules = await guardRuleRepo.enabled(db);
      return guard.verdict(rules.map((r) => ({ id: r.id, name: r.name, pattern: r.pattern, action: r.action as GuardAction })), content);
    },

    async create(ctx: MutationContext, body: GuardRuleBody): Promise<GuardRuleView> {
      const now = clock.now();
      const row = await guardRuleRepo.insert(ctx.tx, {
        id: uuidv7(now.getTime()), name: body.name, pattern: body.pattern, action: body.action, enabled: body.enabled,
        description: body.description ?? '', builtin: false, createdBy: ctx.actor.id, createdAt: now,
      });
      Object.assign(ctx.audit, { targetType: 'guard_rule', targetId: row.id, after: view(row) });
      await ctx.emit('guard.rule.created', { ruleId: row.id, name: row.name, action: row.action }, {
        summary: `guard rule ${row.name} added (${row.action})`, resourceType: 'guard_rule', resourceId: row.id,
      });
      return view(row);
    },

    /** Changes a rule; a built-in one can only be enabled or disabled. */
    async update(ctx: MutationContext, id: string, body: UpdateGuardRuleBody): Promise<GuardRuleView> {
      const row = await requireRule(ctx.tx, id);
      const changed = (Object.keys(body) as (keyof UpdateGuardRuleBody)[]).filter((k) => body[k] !== undefined && body[k] !== row[k]);
      if (row.builtin && changed.some((k) => k !== 'enabled')) {
        throw new AppError('GUARD_RULE_BUILTIN', `${row.name} is built in: it can be enabled or disabled, not changed`);
      }
      Object.assign(ctx.audit, { targetType: 'guard_rule', targetId: id, before: view(row), after: view(row) });
      if (!changed.length) return view(row);
      const updated = await guardRuleRepo.update(ctx.tx, id, Object.fromEntries(changed.map((k) => [k, body[k]])));
      ctx.audit.after = view(updated);
      const what = changed.length === 1 && changed[0] === 'enabled' ? (updated.enabled ? 'enabled' : 'disabled') : `changed: ${changed.join(', ')}`;
      await ctx.emit('guard.rule.updated', { ruleId: id, name: updated.name, changed }, {
        summary: `guard rule ${updated.name} ${what}`, severity: updated.enabled ? 'info' : 'warning', resourceType: 'guard_rule', resourceId: id,
      });
      return view(updated);
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await requireRule(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'guard_rule', targetId: id, before: view(row) });
      if (row.builtin) throw new AppError('GUARD_RULE_BUILTIN', `${row.name} is built in: disable it instead`);
      await guardRuleRepo.delete(ctx.tx, id);
      await ctx.emit('guard.rule.deleted', { ruleId: id, name: row.name }, {
        summary: `guard rule ${row.name} deleted`, resourceType: 'guard_rule', resourceId: id,
      });
    },
  };
}

export type GuardRuleService = ReturnType<typeof createGuardRuleService>;
