import { and, desc, eq, gt, lt, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { alertSilences } from './alerts.tables.js';

export type SilenceRow = typeof alertSilences.$inferSelect;
export type NewSilenceRow = typeof alertSilences.$inferInsert;

export const silenceRepo = {
  async byId(db: Db, id: string): Promise<SilenceRow | undefined> {
    const [row] = await db.select().from(alertSilences).where(eq(alertSilences.id, id)).limit(1);
    return row;
  },
  /** Newest first; `state` read at `now`. */
  list(db: Db, state: 'pending' | 'active' | 'expired' | undefined, now: Date, after: string | undefined, limit: number): Promise<SilenceRow[]> {
    const byState: Record<string, SQL | undefined> = {
      pending: gt(alertSilences.startsAt, now),
      active: and(lte(alertSilences.startsAt, now), gt(alertSilences.endsAt, now)),
      expired: lte(alertSilences.endsAt, now),
    };
    return db
      .select()
      .from(alertSilences)
      .where(and(state ? byState[state] : undefined, after ? lt(alertSilences.id, after) : undefined))
      .orderBy(desc(alertSilences.id))
      .limit(limit);
  },
  /** Silences not over yet at `now` (those that may silence an alert now or soon). */
  unexpired(db: Db, now: Date): Promise<SilenceRow[]> {
    return db.select().from(alertSilences).where(gt(alertSilences.endsAt, now)).orderBy(alertSilences.id);
  },
  async insert(db: Db, row: NewSilenceRow): Promise<SilenceRow> {
    const [created] = await db.insert(alertSilences).values(row).returning();
    if (!created) throw new Error('insert alert_silences returned nothing');
    return created;
  },
  async update(db: Db, id: string, set: Partial<NewSilenceRow>): Promise<SilenceRow> {
    const [row] = await db.update(alertSilences).set(set).where(eq(alertSilences.id, id)).returning();
    if (!row) throw new Error('update alert_silences matched nothing');
    return row;
  },
  async delete(db: Db, id: string): Promise<void> {
    await db.delete(alertSilences).where(eq(alertSilences.id, id));
  },
};
