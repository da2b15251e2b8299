import { and, desc, eq, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { alertIntegrations, alertRejectedPayloads } from './alerts.tables.js';

export type IntegrationRow = typeof alertIntegrations.$inferSelect;
export type NewIntegrationRow = typeof alertIntegrations.$inferInsert;
export type RejectedRow = typeof alertRejectedPayloads.$inferSelect;

export const integrationRepo = {
  async byId(db: Db, id: string): Promise<IntegrationRow | undefined> {
    const [row] = await db.select().from(alertIntegrations).where(eq(alertIntegrations.id, id)).limit(1);
    return row;
  },
  async byName(db: Db, name: string): Promise<IntegrationRow | undefined> {
    const [row] = await db.select().from(alertIntegrations).where(eq(alertIntegrations.name, name)).limit(1);
    return row;
  },
  async byKeyHash(db: Db, keyHash: string): Promise<IntegrationRow | undefined> {
    const [row] = await db.select().from(alertIntegrations).where(eq(alertIntegrations.keyHash, keyHash)).limit(1);
    return row;
  },
  /** Newest first. */
  list(db: Db, type: string | undefined, after: string | undefined, limit: number): Promise<IntegrationRow[]> {
    return db
      .select()
      .from(alertIntegrations)
      .where(and(type ? eq(alertIntegrations.type, type) : undefined, after ? lt(alertIntegrations.id, after) : undefined))
      .orderBy(desc(alertIntegrations.id))
      .limit(limit);
  },
  async insert(db: Db, row: NewIntegrationRow): Promise<IntegrationRow> {
    const [created] = await db.insert(alertIntegrations).values(row).returning();
    if (!created) throw new Error('insert alert_integrations returned nothing');
    return created;
  },
  async update(db: Db, id: string, set: Partial<NewIntegrationRow>): Promise<IntegrationRow> {
    const [row] = await db.update(alertIntegrations).set(set).where(eq(alertIntegrations.id, id)).returning();
    if (!row) throw new Error('update alert_integrations matched nothing');
    return row;
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(alertIntegrations).where(eq(alertIntegrations.id, id));
  },

  /** Records a refused body and drops the integration's entries beyond the newest `keep`. */
  async reject(db: Db, row: typeof alertRejectedPayloads.$inferInsert, keep: number): Promise<void> {
    const t = alertRejectedPayloads;
    await db.insert(t).values(row);
    const cutoff = db.select({ id: t.id }).from(t).where(eq(t.integrationId, row.integrationId)).orderBy(desc(t.id)).offset(keep).limit(1);
    await db.delete(t).where(and(eq(t.integrationId, row.integrationId), lte(t.id, sql`(${cutoff})`)));
  },
  rejected(db: Db, integrationId: string, before: number | undefined, limit: number): Promise<RejectedRow[]> {
    const t = alertRejectedPayloads;
    return db
      .select()
      .from(t)
      .where(and(eq(t.integrationId, integrationId), before !== undefined ? lt(t.id, before) : undefined))
      .orderBy(desc(t.id))
      .limit(limit);
  },
};
