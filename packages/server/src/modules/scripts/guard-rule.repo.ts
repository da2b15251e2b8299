import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { commandGuardRules } from './scripts.tables.js';

export type GuardRuleRow = typeof commandGuardRules.$inferSelect;

export const guardRuleRepo = {
  async byId(db: Db, id: string): Promise<GuardRuleRow | undefined> {
    const [row] = await db.select().from(commandGuardRules).where(eq(commandGuardRules.id, id)).limit(1);
    return row;
  },
  /** One page by id (built-in rules first: their ids are the smallest). */
  list(db: Db, after: string | undefined, limit: number): Promise<GuardRuleRow[]> {
    return db
      .select()
      .from(commandGuardRules)
      .where(after ? gt(commandGuardRules.id, after) : undefined)
      .orderBy(asc(commandGuardRules.id))
      .limit(limit);
  },
  enabled(db: Db): Promise<GuardRuleRow[]> {
    return db.select().from(commandGuardRules).where(eq(commandGuardRules.enabled, true)).orderBy(asc(commandGuardRules.id));
  },
  async insert(db: Db, row: typeof commandGuardRules.$inferInsert): Promise<GuardRuleRow> {
    const [created] = await db.insert(commandGuardRules).values(row).returning();
    if (!created) throw new Error('insert command_guard_rules returned nothing');
    return created;
  },
  async update(db: Db, id: string, set: Partial<typeof commandGuardRules.$inferInsert>): Promise<GuardRuleRow> {
    const [row] = await db.update(commandGuardRules).set(set).where(eq(commandGuardRules.id, id)).returning();
    if (!row) throw new Error('update command_guard_rules matched nothing');
    return row;
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(commandGuardRules).where(eq(commandGuardRules.id, id));
  },
  /**
   * Creates the built-in rules, or refreshes their name, pattern, action and
   * description (never whether they are enabled): idempotent across servers
   * starting together, since the ids are fixed.
   */
  async upsertBuiltins(db: Db, rows: (typeof commandGuardRules.$inferInsert)[]): Promise<void> {
    if (!rows.length) return;
    await db
      .insert(commandGuardRules)
      .values(rows)
      .onConflictDoUpdate({
        target: commandGuardRules.id,
        set: {
          name: sql`excluded.name`, pattern: sql`excluded.pattern`, action: sql`excluded.action`, description: sql`excluded.description`,
          builtin: sql`true`,
        },
      });
  },
};
