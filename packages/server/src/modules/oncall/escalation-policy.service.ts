import { eq } from 'drizzle-orm';
import type { EscalationPolicyBody, EscalationPolicyView, EscalationTarget, Page, PageQuery } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { oncallRepo, type PolicyRow } from './oncall.repo.js';
import { oncallEscalationPolicies } from './oncall.tables.js';
import type { TargetDirectory } from './targets.js';

const view = (r: PolicyRow): EscalationPolicyView => ({
  id: r.id, name: r.name, description: r.description, levels: r.levels, repeat: r.repeat, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

async function requirePolicy(db: Db, id: string): Promise<PolicyRow> {
  const row = await oncallRepo.policy(db, id);
  if (!row) throw new AppError('ESCALATION_POLICY_NOT_FOUND');
  return row;
}

/**
 * Escalation policies (升级策略): each level names users, teams, schedules
 * (whoever is on call) and channels; every target must exist when saved.
 */
export function createEscalationPolicyService(deps: { platform: PlatformServices; directory: TargetDirectory; onCallAt: (scheduleId: string, at: Date) => Promise<string[]> }) {
  const { platform, directory } = deps;
  const { db, clock } = platform;

  return {
    async list(q: PageQuery): Promise<Page<EscalationPolicyView>> {
      const before = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await oncallRepo.policies(db, before, q.limit + 1), q.limit, view, (r) => r.id);
    },
    get: async (id: string): Promise<EscalationPolicyView> => view(await requirePolicy(db, id)),
    /** The policy, or null when there is none (for paging). */
    find: async (id: string): Promise<EscalationPolicyView | null> => {
      const row = await oncallRepo.policy(db, id);
      return row ? view(row) : null;
    },

    /** Before the change: every target exists (a 404 naming `body.levels.N.targets.M.id`). */
    check: (body: EscalationPolicyBody): Promise<void> => directory.checkLevels(body.levels),

    async create(ctx: MutationContext, body: EscalationPolicyBody, userId: string): Promise<EscalationPolicyView> {
      const now = clock.now();
      const row: PolicyRow = { id: uuidv7(now.getTime()), ...body, createdBy: userId, createdAt: now, updatedAt: now };
      await ctx.tx.insert(oncallEscalationPolicies).values(row);
      Object.assign(ctx.audit, { targetType: 'escalation_policy', targetId: row.id, after: view(row) });
      await ctx.emit('escalation.policy.created', { policyId: row.id, name: row.name }, { summary: `escalation policy ${row.name} created`, resourceType: 'escalation_policy', resourceId: row.id });
      return view(row);
    },

    async replace(ctx: MutationContext, id: string, body: EscalationPolicyBody): Promise<EscalationPolicyView> {
      const before = await requirePolicy(ctx.tx, id);
      const after: PolicyRow = { ...before, ...body, updatedAt: clock.now() };
      await ctx.tx.update(oncallEscalationPolicies).set(after).where(eq(oncallEscalationPolicies.id, id));
      Object.assign(ctx.audit, { targetType: 'escalation_policy', targetId: id, before: view(before), after: view(after) });
      await ctx.emit('escalation.policy.updated', { policyId: id, name: after.name }, { summary: `escalation policy ${after.name} changed`, resourceType: 'escalation_policy', resourceId: id });
      return view(after);
    },

    /** Refused while routing rules use it (409 naming them). */
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const before = await requirePolicy(ctx.tx, id);
      const rules = await oncallRepo.rulesUsing(ctx.tx, id);
      if (rules.length) throw new AppError('ESCALATION_POLICY_IN_USE', `Routing rules use this policy: ${rules.map((r) => r.name).join(', ')}`, { rules });
      await ctx.tx.delete(oncallEscalationPolicies).where(eq(oncallEscalationPolicies.id, id));
      Object.assign(ctx.audit, { targetType: 'escalation_policy', targetId: id, before: view(before) });
      await ctx.emit('escalation.policy.deleted', { policyId: id, name: before.name }, { summary: `escalation policy ${before.name} deleted`, resourceType: 'escalation_policy', resourceId: id });
    },

    /**
     * Targets to people and channels at `at`: a user (if active), a team's
     * active members, whoever a schedule has on call, a channel that exists.
     * Each id once, in the order first named.
     */
    async resolveTargets(targets: EscalationTarget[], at: Date): Promise<{ userIds: string[]; channelIds: string[] }> {
      const people: string[] = [];
      const channels: string[] = [];
      for (const t of targets) {
        switch (t.type) {
          case 'user':
            people.push(t.id);
            break;
          case 'team':
            people.push(...(await directory.teamMembers(t.id)));
            break;
          case 'schedule':
            people.push(...(await deps.onCallAt(t.id, at)));
            break;
          case 'channel':
            channels.push(t.id);
            break;
        }
      }
      const existing = await directory.existing('channel', channels);
      return { userIds: await directory.activeUsers(people), channelIds: [...new Set(channels.filter((c) => existing.has(c)))] };
    },
  };
}

export type EscalationPolicyService = ReturnType<typeof createEscalationPolicyService>;
