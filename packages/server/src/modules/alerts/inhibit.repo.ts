import { and, asc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import type { InhibitSource } from './inhibit-match.js';
import { alertInhibitRules, alerts } from './alerts.tables.js';

export type InhibitRuleRow = typeof alertInhibitRules.$inferSelect;
export type NewInhibitRuleRow = typeof alertInhibitRules.$inferInsert;

/** Sources looked at per delivery at most: a host or node with more firing alerts than this is a storm already. */
const SOURCES_LIMIT = 2_000;

export const inhibitRepo = {
  list: (db: Db): Promise<InhibitRuleRow[]> => db.select().from(alertInhibitRules).orderBy(asc(alertInhibitRules.createdAt), asc(alertInhibitRules.id)),
  async byId(db: Db, id: string): Promise<InhibitRuleRow | undefined> {
    const [row] = await db.select().from(alertInhibitRules).where(eq(alertInhibitRules.id, id)).limit(1);
    return row;
  },
  async insert(db: Db, row: NewInhibitRuleRow): Promise<InhibitRuleRow> {
    const [made] = await db.insert(alertInhibitRules).values(row).returning();
    if (!made) throw new Error('insert alert_inhibit_rules returned nothing');
    return made;
  },
  async update(db: Db, id: string, set: Partial<NewInhibitRuleRow>): Promise<InhibitRuleRow> {
    const [row] = await db.update(alertInhibitRules).set(set).where(eq(alertInhibitRules.id, id)).returning();
    if (!row) throw new Error('update alert_inhibit_rules matched nothing');
    return row;
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(alertInhibitRules).where(eq(alertInhibitRules.id, id));
  },
  /** Firing alerts on these hosts or nodes: the stored ones that may inhibit a delivery's alerts. */
  async firingOn(db: Db, hostIds: string[], nodeIds: string[]): Promise<InhibitSource[]> {
    const scopes: SQL[] = [];
    if (hostIds.length) scopes.push(inArray(alerts.hostId, hostIds));
    if (nodeIds.length) scopes.push(inArray(alerts.nodeId, nodeIds));
    if (!scopes.length) return [];
    return db.select({ id: alerts.id, fingerprint: alerts.fingerprint, labels: alerts.labels, hostId: alerts.hostId, nodeId: alerts.nodeId }).from(alerts)
      .where(and(eq(alerts.status, 'firing'), or(...scopes))).limit(SOURCES_LIMIT);
  },
};
