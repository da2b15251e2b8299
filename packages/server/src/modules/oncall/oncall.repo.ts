import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { oncallEscalationPolicies, oncallOverrides, oncallRoutingRules, oncallSchedules, oncallUserSettings } from './oncall.tables.js';

export type ScheduleRow = typeof oncallSchedules.$inferSelect;
export type OverrideRow = typeof oncallOverrides.$inferSelect;
export type PolicyRow = typeof oncallEscalationPolicies.$inferSelect;
export type RuleRow = typeof oncallRoutingRules.$inferSelect;
export type UserSettingsRow = typeof oncallUserSettings.$inferSelect;

/** Drizzle queries on the on-call tables. */
export const oncallRepo = {
  async schedule(db: Db, id: string): Promise<ScheduleRow | undefined> {
    const [row] = await db.select().from(oncallSchedules).where(eq(oncallSchedules.id, id)).limit(1);
    return row;
  },
  schedules(db: Db, f: { teamId?: string | undefined; before?: string | undefined; limit: number }): Promise<ScheduleRow[]> {
    return db
      .select()
      .from(oncallSchedules)
      .where(and(f.teamId ? eq(oncallSchedules.teamId, f.teamId) : undefined, f.before ? lt(oncallSchedules.id, f.before) : undefined))
      .orderBy(desc(oncallSchedules.id))
      .limit(f.limit);
  },
  async existingScheduleIds(db: Db, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    return new Set((await db.select({ id: oncallSchedules.id }).from(oncallSchedules).where(inArray(oncallSchedules.id, ids))).map((r) => r.id));
  },
  /** Overrides of the schedules that overlap [from, to), oldest first. */
  overlapping(db: Db, scheduleIds: string[], from: Date, to: Date): Promise<OverrideRow[]> {
    if (!scheduleIds.length) return Promise.resolve([]);
    return db
      .select()
      .from(oncallOverrides)
      .where(and(inArray(oncallOverrides.scheduleId, scheduleIds), lt(oncallOverrides.startAt, to), gt(oncallOverrides.endAt, from)))
      .orderBy(asc(oncallOverrides.id));
  },
  async override(db: Db, scheduleId: string, id: string): Promise<OverrideRow | undefined> {
    const [row] = await db.select().from(oncallOverrides).where(and(eq(oncallOverrides.id, id), eq(oncallOverrides.scheduleId, scheduleId))).limit(1);
    return row;
  },

  async policy(db: Db, id: string): Promise<PolicyRow | undefined> {
    const [row] = await db.select().from(oncallEscalationPolicies).where(eq(oncallEscalationPolicies.id, id)).limit(1);
    return row;
  },
  policies(db: Db, before: string | undefined, limit: number): Promise<PolicyRow[]> {
    return db
      .select()
      .from(oncallEscalationPolicies)
      .where(before ? lt(oncallEscalationPolicies.id, before) : undefined)
      .orderBy(desc(oncallEscalationPolicies.id))
      .limit(limit);
  },
  /** Policies with a level that pages the target (JSON containment on the levels). */
  policiesTargeting(db: Db, target: { type: string; id: string }): Promise<{ id: string; name: string }[]> {
    const probe = JSON.stringify([{ targets: [target] }]);
    return db
      .select({ id: oncallEscalationPolicies.id, name: oncallEscalationPolicies.name })
      .from(oncallEscalationPolicies)
      .where(sql`${oncallEscalationPolicies.levels} @> ${probe}::jsonb`)
      .orderBy(asc(oncallEscalationPolicies.name));
  },

  async rule(db: Db, id: string): Promise<RuleRow | undefined> {
    const [row] = await db.select().from(oncallRoutingRules).where(eq(oncallRoutingRules.id, id)).limit(1);
    return row;
  },
  /** Every rule in the order they are tried. */
  rules(db: Db): Promise<RuleRow[]> {
    return db.select().from(oncallRoutingRules).orderBy(asc(oncallRoutingRules.order), asc(oncallRoutingRules.id));
  },
  rulesUsing(db: Db, policyId: string): Promise<{ id: string; name: string }[]> {
    return db
      .select({ id: oncallRoutingRules.id, name: oncallRoutingRules.name })
      .from(oncallRoutingRules)
      .where(eq(oncallRoutingRules.escalationPolicyId, policyId))
      .orderBy(asc(oncallRoutingRules.order));
  },
  async nextOrder(db: Db): Promise<number> {
    const [row] = await db.select({ max: sql<number | null>`max(${oncallRoutingRules.order})` }).from(oncallRoutingRules);
    return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
  },

  async userSettings(db: Db, userId: string): Promise<UserSettingsRow | undefined> {
    const [row] = await db.select().from(oncallUserSettings).where(eq(oncallUserSettings.userId, userId)).limit(1);
    return row;
  },
  async saveUserSettings(db: Db, row: UserSettingsRow): Promise<void> {
    await db.insert(oncallUserSettings).values(row).onConflictDoUpdate({ target: oncallUserSettings.userId, set: { rules: row.rules, contact: row.contact, updatedAt: row.updatedAt } });
  },
};
